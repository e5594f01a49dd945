using System.Runtime.InteropServices;
using Refilled.Engine.Runtime;

namespace Refilled.Engine.Tests.Runtime;

/// <summary>The spin count goes into the C library's environment (libgomp's), and a user's own choice is kept.</summary>
public class OpenMpWaitingTests
{
    [Fact]
    public void SetsTheSpinCountWhereLibgompReadsIt()
    {
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") != null || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") != null)
            return;   // the user's own setting is kept: the other test covers that
        Assert.True(OpenMpWaiting.PreferShortSpin());
        Assert.Equal(OpenMpWaiting.SpinCount.ToString(), Marshal.PtrToStringUTF8(getenv("GOMP_SPINCOUNT")));
        Assert.Equal(IntPtr.Zero, getenv("OMP_WAIT_POLICY"));
    }

    [Theory]
    [InlineData("GOMP_SPINCOUNT", "300000")]
    [InlineData("OMP_WAIT_POLICY", "PASSIVE")]
    public void KeepsWhatTheUserChose(string variable, string value)
    {
        var before = Environment.GetEnvironmentVariable(variable);
        Environment.SetEnvironmentVariable(variable, value);
        try
        {
            Assert.False(OpenMpWaiting.PreferShortSpin());
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, before);
        }
    }

    [DllImport("libc")]
    static extern IntPtr getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
