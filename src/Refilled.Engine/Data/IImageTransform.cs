namespace Refilled.Engine.Data;

/// <summary>
/// A transform split in two: geometry on host bytes (runs on the loader's worker thread, one image at a time)
/// and normalisation as one batched tensor op (runs on the consumer thread).
/// </summary>
public interface IImageTransform
{
    /// <summary>Output shape C,H,W.</summary>
    long[] OutputShape { get; }

    ChannelNormalisation Normalisation { get; }

    /// <summary>Writes C·H·W output bytes for <paramref name="source"/>; all randomness comes from <paramref name="random"/>.</summary>
    void Apply(in StoredImage source, Span<byte> destination, Random random);
}
