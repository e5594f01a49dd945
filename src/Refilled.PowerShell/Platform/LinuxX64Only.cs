using System.Management.Automation;
using System.Runtime.InteropServices;

namespace Refilled.PowerShell.Platform;

/// <summary>
/// Refuses the import anywhere but on Linux x64: the module carries only libtorch's linux-x64 natives, and elsewhere
/// the first tensor would fail with a loader error that names none of this.
/// </summary>
public sealed class LinuxX64Only : IModuleAssemblyInitializer
{
    public void OnImport()
    {
        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64) return;
        throw new PlatformNotSupportedException(
            $"Refilled runs on Linux x64 only (it carries libtorch's linux-x64 natives); this is {RuntimeInformation.OSDescription} on {RuntimeInformation.ProcessArchitecture}.");
    }
}
