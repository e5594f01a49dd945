using System.Runtime.InteropServices;
using Refilled.Engine.Runtime;

namespace Refilled.Engine.Tests.Runtime;

/// <summary>The wait policy goes into the C library's environment (libgomp's), and a user's own choice is kept.</summary>
public class OpenMpWaitingTests
{
    [Fact]
    public void SetsPassiveWhereLibgompReadsIt()
    {
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") != null || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") != null)
            return;   // the user's own setting is kept: the other test covers that
        Assert.True(OpenMpWaiting.PreferPassive());
        Assert.Equal("PASSIVE", Marshal.PtrToStringUTF8(getenv("OMP_WAIT_POLICY")));
    }

    [Fact]
    public void KeepsAPolicyTheUserChose()
    {
        var before = Environment.GetEnvironmentVariable("GOMP_SPINCOUNT");
        Environment.SetEnvironmentVariable("GOMP_SPINCOUNT", "1000");
        try
        {
            Assert.False(OpenMpWaiting.PreferPassive());
        }
        finally
        {
            Environment.SetEnvironmentVariable("GOMP_SPINCOUNT", before);
        }
    }

    [DllImport("libc")]
    static extern IntPtr getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
}
