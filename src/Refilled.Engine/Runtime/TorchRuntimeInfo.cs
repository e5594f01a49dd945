namespace Refilled.Engine.Runtime;

/// <summary>What the loaded libtorch is and where it came from.</summary>
public sealed record TorchRuntimeInfo(
    string EngineVersion,
    string TorchSharpVersion,
    string LibTorchVersion,
    string Backend,
    bool CudaAvailable,
    int DeviceCount,
    IReadOnlyList<string> Devices,
    int Threads,
    string? NativeLibraryPath,
    bool BFloat16Supported);
