namespace Refilled.Engine.Runtime;

/// <summary>A device that this build or this machine cannot use (CUDA on a CPU build, a missing GPU number).</summary>
public sealed class DeviceUnavailableException(DeviceSpec device, string message) : InvalidOperationException(message)
{
    public DeviceSpec Device { get; } = device;
}
