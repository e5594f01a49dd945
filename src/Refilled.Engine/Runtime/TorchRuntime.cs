using System.Reflection;
using TorchSharp;

namespace Refilled.Engine.Runtime;

/// <summary>Start-up facts about libtorch: versions, backend, devices and threads.</summary>
public static class TorchRuntime
{
    /// <summary>Loads libtorch (if it is not loaded yet) and describes it.</summary>
    public static TorchRuntimeInfo Describe()
    {
        var cuda = torch.cuda.is_available();
        return new TorchRuntimeInfo(
            EngineVersion: typeof(TorchRuntime).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
            TorchSharpVersion: Metadata("TorchSharpVersion"),
            LibTorchVersion: LibTorchVersion,
            Backend: Backend,
            CudaAvailable: cuda,
            DeviceCount: cuda ? torch.cuda.device_count() : 0,
            Devices: DeviceSpec.Available().Select(d => d.ToString()).ToArray(),
            Threads: torch.get_num_threads(),
            NativeLibraryPath: LoadedLibraryPath("libtorch_cpu.so"),
            BFloat16Supported: BFloat16Support.IsSupported);
    }

    /// <summary>The libtorch package this build carries: <c>cpu</c> or <c>cuda</c> (build.ps1 -TorchBackend).</summary>
    public static string Backend => Metadata("TorchBackend");

    /// <summary>The libtorch version as major.minor.patch.</summary>
    public static string LibTorchVersion
    {
        get
        {
            var parts = torch.__version__.Split('.', '+');
            return string.Join('.', parts.Take(3));
        }
    }

    static string Metadata(string key) =>
        typeof(TorchRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == key)?.Value ?? "unknown";

    // The dynamic loader, not our guess, says which file was mapped.
    static string? LoadedLibraryPath(string fileName)
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return null;
        foreach (var line in File.ReadLines(maps))
        {
            var slash = line.IndexOf('/');
            if (slash >= 0 && line.EndsWith("/" + fileName, StringComparison.Ordinal))
                return line[slash..];
        }
        return null;
    }
}
