using System.Runtime.InteropServices;

namespace Refilled.Engine.Runtime;

/// <summary>
/// The one platform the module runs on: it carries only libtorch's linux-x64 natives, and elsewhere the first tensor
/// would fail with a loader error that names none of this.
/// </summary>
public static class SupportedPlatform
{
    /// <summary>Null on Linux x64; elsewhere, the reason the module cannot run.</summary>
    public static string? Refusal(bool isLinux, Architecture architecture, string system) =>
        isLinux && architecture == Architecture.X64
            ? null
            : $"Refilled runs on Linux x64 only (it carries libtorch's linux-x64 natives); this is {system} on {architecture}.";

    /// <summary><see cref="Refusal(bool, Architecture, string)"/> for this process.</summary>
    public static string? RefusalHere() =>
        Refusal(OperatingSystem.IsLinux(), RuntimeInformation.ProcessArchitecture, RuntimeInformation.OSDescription);
}
