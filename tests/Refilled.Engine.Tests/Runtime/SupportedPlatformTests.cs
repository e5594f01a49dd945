using System.Runtime.InteropServices;
using Refilled.Engine.Runtime;

namespace Refilled.Engine.Tests.Runtime;

public sealed class SupportedPlatformTests
{
    [Fact]
    public void LinuxX64IsAccepted() => Assert.Null(SupportedPlatform.Refusal(true, Architecture.X64, "Debian GNU/Linux 12"));

    [Theory]
    [InlineData(true, Architecture.Arm64, "Ubuntu 24.04", "Ubuntu 24.04 on Arm64")]
    [InlineData(false, Architecture.X64, "Microsoft Windows 10.0.26100", "Microsoft Windows 10.0.26100 on X64")]
    [InlineData(false, Architecture.Arm64, "Darwin 24.1.0", "Darwin 24.1.0 on Arm64")]
    public void EveryOtherPlatformIsRefusedByName(bool isLinux, Architecture architecture, string system, string named)
    {
        var refusal = SupportedPlatform.Refusal(isLinux, architecture, system);
        Assert.NotNull(refusal);
        Assert.Contains("Linux x64 only", refusal);
        Assert.Contains(named, refusal);
    }

    [Fact]
    public void ThisLinuxX64MachineRunsIt() => Assert.Null(SupportedPlatform.RefusalHere());
}
