using Refilled.Engine.Runtime;

namespace Refilled.PowerShell.Objects;

/// <summary>The module's view of the libtorch it runs on.</summary>
public sealed class RefilledEnvironment
{
    internal RefilledEnvironment(TorchRuntimeInfo info)
    {
        ModuleVersion = typeof(RefilledEnvironment).Assembly.GetName().Version?.ToString(3) ?? info.EngineVersion;
        TorchSharpVersion = info.TorchSharpVersion;
        LibTorchVersion = info.LibTorchVersion;
        Backend = info.Backend;
        CudaAvailable = info.CudaAvailable;
        DeviceCount = info.DeviceCount;
        Devices = info.Devices.ToArray();
        Threads = info.Threads;
        NativeLibraryPath = info.NativeLibraryPath;
        BFloat16Supported = info.BFloat16Supported;
    }

    public string ModuleVersion { get; }
    public string TorchSharpVersion { get; }
    public string LibTorchVersion { get; }
    public string Backend { get; }
    public bool CudaAvailable { get; }
    /// <summary>Number of CUDA devices libtorch sees.</summary>
    public int DeviceCount { get; }
    /// <summary>The values -Device accepts in this session: cpu, then cuda:0, cuda:1, … when CUDA is usable.</summary>
    public string[] Devices { get; }
    public int Threads { get; }
    public string? NativeLibraryPath { get; }
    /// <summary>Whether the CPU computes bfloat16 natively, so that Precision BFloat16 can run.</summary>
    public bool BFloat16Supported { get; }

    public override string ToString() => $"Refilled {ModuleVersion} on libtorch {LibTorchVersion} ({Backend}, {Threads} threads)";
}
