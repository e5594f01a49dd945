using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Runtime;

/// <summary>
/// Where a model lives and computes: <c>cpu</c>, <c>cuda</c> (= <c>cuda:0</c>), <c>cuda:N</c>, or libtorch's
/// <c>meta</c> device (shapes without data; the tests use it to catch a tensor created on the wrong device).
/// Parsing only checks the spelling, so a file naming <c>cuda</c> can be validated on a machine without a GPU;
/// <see cref="EnsureAvailable"/> checks the machine when the device is about to be used.
/// </summary>
public sealed record DeviceSpec
{
    DeviceSpec(DeviceType type, int index)
    {
        Type = type;
        Index = index;
    }

    public static DeviceSpec Cpu { get; } = new(DeviceType.CPU, -1);

    public static DeviceSpec Meta { get; } = new(DeviceType.META, -1);

    public static DeviceSpec Cuda(int index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new(DeviceType.CUDA, index);
    }

    public DeviceType Type { get; }

    /// <summary>The CUDA device number; -1 for the CPU and meta.</summary>
    public int Index { get; }

    public bool IsCuda => Type == DeviceType.CUDA;

    /// <summary>Reads <c>cpu</c>, <c>cuda</c>, <c>cuda:N</c> or <c>meta</c> (any case, surrounding blanks ignored).</summary>
    public static DeviceSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spec = text.Trim().ToLowerInvariant();
        if (spec == "cpu") return Cpu;
        if (spec == "meta") return Meta;
        if (spec == "cuda") return Cuda();
        if (spec.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(spec.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            return Cuda(index);
        throw new ArgumentException($"'{text}' is not a device: use cpu, cuda or cuda:N (N = 0, 1, …).", nameof(text));
    }

    /// <summary>The device a tensor or parameter is on.</summary>
    public static DeviceSpec Of(Device device) => device.type switch
    {
        DeviceType.CPU => Cpu,
        DeviceType.META => Meta,
        // libtorch reports the current device for a bare "cuda"; Refilled never changes it from 0.
        DeviceType.CUDA => Cuda(Math.Max(0, device.index)),
        _ => new DeviceSpec(device.type, device.index),
    };

    /// <summary>The devices this process can use: the CPU, then every visible CUDA device.</summary>
    public static IReadOnlyList<DeviceSpec> Available()
    {
        var devices = new List<DeviceSpec> { Cpu };
        if (torch.cuda.is_available())
            for (var i = 0; i < torch.cuda.device_count(); i++) devices.Add(Cuda(i));
        return devices;
    }

    /// <summary>Throws <see cref="DeviceUnavailableException"/>, saying what to do, when this process cannot use the device.</summary>
    public void EnsureAvailable()
    {
        if (!IsCuda) return;
        if (TorchRuntime.Backend != "cuda")
            throw new DeviceUnavailableException(this,
                $"Device '{this}' needs a CUDA build of Refilled, but this one carries the CPU-only libtorch ({TorchRuntime.Backend} backend). " +
                "On a machine with an NVIDIA GPU, build the module from a clone of the repository with 'dotnet pwsh ./build.ps1 -TorchBackend cuda' (add -Task Package for an installable package; see its README, 'Running on a GPU' and 'Install'), or use -Device cpu.");
        if (!torch.cuda.is_available())
            throw new DeviceUnavailableException(this,
                $"Device '{this}' is not usable: this is a CUDA build, but libtorch sees no CUDA device (no NVIDIA driver, or CUDA_VISIBLE_DEVICES hides them). Use -Device cpu.");
        var count = torch.cuda.device_count();
        if (Index >= count)
            throw new DeviceUnavailableException(this,
                $"Device '{this}' does not exist: libtorch sees {count} CUDA device{(count == 1 ? "" : "s")} (cuda:0{(count > 1 ? $"..cuda:{count - 1}" : "")}).");
    }

    public Device ToTorch() => Type switch
    {
        DeviceType.CPU => torch.CPU,
        DeviceType.META => torch.META,
        _ => torch.device(Type, Index),
    };

    public override string ToString() => Type switch
    {
        DeviceType.CPU => "cpu",
        DeviceType.META => "meta",
        DeviceType.CUDA => $"cuda:{Index}",
        _ => Index < 0 ? Type.ToString().ToLowerInvariant() : $"{Type.ToString().ToLowerInvariant()}:{Index}",
    };
}
