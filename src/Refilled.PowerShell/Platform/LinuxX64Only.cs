using System.Management.Automation;
using Refilled.Engine.Runtime;

namespace Refilled.PowerShell.Platform;

/// <summary>Refuses the import anywhere but on Linux x64 (<see cref="SupportedPlatform"/>).</summary>
public sealed class LinuxX64Only : IModuleAssemblyInitializer
{
    public void OnImport()
    {
        if (SupportedPlatform.RefusalHere() is { } refusal) throw new PlatformNotSupportedException(refusal);
    }
}
