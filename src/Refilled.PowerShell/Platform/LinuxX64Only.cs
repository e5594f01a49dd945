using System.Management.Automation;
using Refilled.Engine.Runtime;

namespace Refilled.PowerShell.Platform;

/// <summary>Refuses the import anywhere but on Linux x64 (<see cref="SupportedPlatform"/>); readies libtorch's threads (<see cref="OpenMpWaiting"/>).</summary>
public sealed class LinuxX64Only : IModuleAssemblyInitializer
{
    public void OnImport()
    {
        if (SupportedPlatform.RefusalHere() is { } refusal) throw new PlatformNotSupportedException(refusal);
        // Before any cmdlet loads libtorch: libgomp reads its wait policy once.
        OpenMpWaiting.PreferShortSpin();
    }
}
