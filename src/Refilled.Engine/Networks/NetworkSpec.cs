using System.Globalization;
using System.Text.RegularExpressions;
using Refilled.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Networks;

/// <summary>
/// A parsed architecture name: <c>wrn-40-2</c>, <c>resnet-110</c>, <c>mobilenet-0.5</c> or <c>smallcnn</c>.
/// Depth and width apply to WRN/ResNet, <see cref="ChannelMultiplier"/> to MobileNet.
/// </summary>
public sealed partial record NetworkSpec
{
    NetworkSpec(NetworkFamily family, int depth, int width, double channelMultiplier)
    {
        Family = family;
        Depth = depth;
        Width = width;
        ChannelMultiplier = channelMultiplier;
    }

    public NetworkFamily Family { get; }
    public int Depth { get; }
    public int Width { get; }
    public double ChannelMultiplier { get; }

    /// <summary>The released WRN dropout inside each block.</summary>
    public const double DefaultWideResNetDropout = 0.3;

    /// <summary>One valid spec per form, for help text and error messages.</summary>
    public static IReadOnlyList<string> Examples { get; } =
        ["wrn-16-1", "wrn-16-2", "wrn-40-1", "wrn-40-2", "resnet-20", "resnet-110", "mobilenet-1.0", "mobilenet-0.75", "mobilenet-0.5", "mobilenet-0.25", "smallcnn", "smallcnn-16"];

    const string ValidForms =
        "wrn-<depth>-<width> (depth = 6n+4, e.g. wrn-40-2), resnet-<depth> (depth = 6n+2, e.g. resnet-110), " +
        "mobilenet-<multiplier> (0 < multiplier <= 4, e.g. mobilenet-0.5), smallcnn or smallcnn-<width> (first conv width, e.g. smallcnn-16)";

    // Upper bounds well past the published networks (wrn-28-10, resnet-1202), so that a spec read from a file cannot
    // ask for terabytes of weights.
    const int MaxWideResNetDepth = 100, MaxWideResNetWidth = 16, MaxCifarResNetDepth = 1202;

    public static NetworkSpec WideResNet(int depth, int width)
    {
        if (depth < 10 || (depth - 4) % 6 != 0 || depth > MaxWideResNetDepth)
            throw Invalid($"wrn-{depth}-{width}", $"the WRN depth must be 6n+4 with n >= 1, at most {MaxWideResNetDepth}");
        if (width < 1 || width > MaxWideResNetWidth) throw Invalid($"wrn-{depth}-{width}", $"the WRN width must be in 1..{MaxWideResNetWidth}");
        return new NetworkSpec(NetworkFamily.WideResNet, depth, width, 1.0);
    }

    public static NetworkSpec CifarResNet(int depth)
    {
        if (depth < 8 || (depth - 2) % 6 != 0 || depth > MaxCifarResNetDepth)
            throw Invalid($"resnet-{depth}", $"the ResNet depth must be 6n+2 with n >= 1, at most {MaxCifarResNetDepth}");
        return new NetworkSpec(NetworkFamily.CifarResNet, depth, 1, 1.0);
    }

    public static NetworkSpec MobileNet(double channelMultiplier)
    {
        // int(32 * ca) must leave at least one channel in the first conv.
        if (!(channelMultiplier >= 1.0 / 32) || channelMultiplier > 4)
            throw Invalid("mobilenet-" + channelMultiplier.ToString(CultureInfo.InvariantCulture), "the multiplier must be in [1/32, 4]");
        return new NetworkSpec(NetworkFamily.MobileNet, 0, 1, channelMultiplier);
    }

    /// <summary>The quickstart CNN with 32-64-128 channels (a 128-d embedding).</summary>
    public static NetworkSpec SmallCnn { get; } = new(NetworkFamily.SmallCnn, 0, SmallCnnDefaultWidth, 1.0);

    const int SmallCnnDefaultWidth = 32;

    /// <summary>A SmallCnn with <paramref name="width"/>-2w-4w channels: smallcnn-16 is the thinner student (64-d embedding).</summary>
    public static NetworkSpec SmallCnnOfWidth(int width)
    {
        if (width < 1 || width > 1024) throw Invalid($"smallcnn-{width}", "the SmallCnn width must be in 1..1024");
        return new NetworkSpec(NetworkFamily.SmallCnn, 0, width, 1.0);
    }

    /// <summary>Parses a spec, case-insensitively; throws <see cref="ArgumentException"/> listing the valid forms.</summary>
    public static NetworkSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var s = text.Trim().ToLowerInvariant();
        if (s == "smallcnn") return SmallCnn;
        if (SmallCnnPattern().Match(s) is { Success: true } small) return SmallCnnOfWidth(ParseInt(small.Groups[1].Value, text));
        if (WrnPattern().Match(s) is { Success: true } wrn)
            return WideResNet(ParseInt(wrn.Groups[1].Value, text), ParseInt(wrn.Groups[2].Value, text));
        if (ResNetPattern().Match(s) is { Success: true } resnet)
            return CifarResNet(ParseInt(resnet.Groups[1].Value, text));
        if (MobileNetPattern().Match(s) is { Success: true } mobile)
            return MobileNet(double.Parse(mobile.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture));
        throw Invalid(text, "unknown architecture");
    }

    public static bool TryParse(string text, out NetworkSpec? spec)
    {
        try
        {
            spec = Parse(text);
            return true;
        }
        catch (ArgumentException)
        {
            spec = null;
            return false;
        }
    }

    /// <summary>Builds a freshly initialised network.</summary>
    /// <param name="numClasses">Width of the classifier.</param>
    /// <param name="imageSize">Input height = width; defaults to 32 (CIFAR), 224 for MobileNet (CUB-200), 28 for SmallCnn.</param>
    /// <param name="dropout">WRN block dropout; defaults to the released 0.3. Ignored by the other families.</param>
    public RefilledNetwork Create(int numClasses, int? imageSize = null, double? dropout = null) => Family switch
    {
        NetworkFamily.WideResNet => new WideResNet(this, numClasses, imageSize ?? 32, dropout ?? DefaultWideResNetDropout),
        NetworkFamily.CifarResNet => new CifarResNet(this, numClasses, imageSize ?? 32),
        NetworkFamily.MobileNet => new MobileNet(this, numClasses, imageSize ?? 224),
        NetworkFamily.SmallCnn => new SmallCnn(this, numClasses, imageSize ?? 28),
        _ => throw new InvalidOperationException($"No builder for {Family}."),
    };

    /// <summary>
    /// <see cref="Create"/> with the tensors allocated on <paramref name="device"/>. Modules allocate on libtorch's
    /// process-wide default device, and TorchSharp's Module.to skips a move to the device it believes the module is on.
    /// </summary>
    public RefilledNetwork CreateOn(DeviceSpec device, int numClasses, int? imageSize = null)
    {
        var previous = get_default_device();
        set_default_device(device.ToTorch());
        try
        {
            return Create(numClasses, imageSize);
        }
        finally
        {
            set_default_device(previous);
        }
    }

    /// <summary>
    /// A freshly initialised network with the default image size, reproducible from <paramref name="seed"/>: initialised
    /// on the CPU, then moved, so a seed gives the same initial weights on every device.
    /// </summary>
    public RefilledNetwork Initialise(int numClasses, int seed, DeviceSpec device)
    {
        torch.manual_seed(seed);
        return Create(numClasses).MoveTo(device);
    }

    /// <summary>The canonical spelling, which <see cref="Parse"/> reads back.</summary>
    public override string ToString() => Family switch
    {
        NetworkFamily.WideResNet => $"wrn-{Depth}-{Width}",
        NetworkFamily.CifarResNet => $"resnet-{Depth}",
        NetworkFamily.MobileNet => "mobilenet-" + FormatMultiplier(ChannelMultiplier),
        _ => Width == SmallCnnDefaultWidth ? "smallcnn" : $"smallcnn-{Width}",
    };

    // Shortest round-trip form, with ".0" on whole numbers: 1 -> "1.0", 0.25 -> "0.25".
    static string FormatMultiplier(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }

    static int ParseInt(string digits, string text) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Invalid(text, "the number is too large");

    // No parameter name: .NET would append "(Parameter 'spec')" to the message the user reads.
    static ArgumentException Invalid(string text, string reason) =>
        new($"'{text}' is not a valid network spec ({reason}). Valid forms: {ValidForms}.");

    [GeneratedRegex(@"^(?:wrn|wideresnet|wide_resnet)-(\d+)-(\d+)$")]
    private static partial Regex WrnPattern();

    [GeneratedRegex(@"^resnet-?(\d+)$")]
    private static partial Regex ResNetPattern();

    [GeneratedRegex(@"^(?:mobilenet|mobile_net)-(\d+(?:\.\d+)?|\.\d+)$")]
    private static partial Regex MobileNetPattern();

    [GeneratedRegex(@"^smallcnn-(\d+)$")]
    private static partial Regex SmallCnnPattern();
}
