using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Data;

/// <summary>Per-channel (x/255 − mean)/std, applied to a uint8 N,C,H,W batch as one multiply-add.</summary>
public sealed record ChannelNormalisation(float[] Mean, float[] Std)
{
    public static ChannelNormalisation Mnist { get; } = new([0.1307f], [0.3081f]);
    public static ChannelNormalisation FashionMnist { get; } = new([0.2860f], [0.3530f]);
    public static ChannelNormalisation Cifar { get; } = new([0.5071f, 0.4867f, 0.4408f], [0.2675f, 0.2565f, 0.2761f]);
    public static ChannelNormalisation ImageNet { get; } = new([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    /// <summary>Equal by value: the same means and deviations (an exported model's metadata against a dataset's).</summary>
    public bool Equals(ChannelNormalisation? other) =>
        other is not null && Mean.AsSpan().SequenceEqual(other.Mean) && Std.AsSpan().SequenceEqual(other.Std);

    public override int GetHashCode() => HashCode.Combine(Mean.Length, Mean.FirstOrDefault(), Std.FirstOrDefault());

    /// <summary>Float32 normalised copy of <paramref name="bytes"/>, on its device; intermediates die in a local scope.</summary>
    public Tensor Apply(Tensor bytes)
    {
        var c = Mean.Length;
        var scale = new float[c];
        var shift = new float[c];
        for (var i = 0; i < c; i++)
        {
            scale[i] = 1f / (255f * Std[i]);
            shift[i] = -Mean[i] / Std[i];
        }
        using var local = NewDisposeScope();
        var x = bytes.to_type(ScalarType.Float32);
        x.mul_(torch.tensor(scale, new long[] { 1, c, 1, 1 }, device: bytes.device))
            .add_(torch.tensor(shift, new long[] { 1, c, 1, 1 }, device: bytes.device));
        return x.MoveToOuterDisposeScope();
    }
}
