namespace Refilled.Engine.Data;

/// <summary>Centre crop (torchvision CenterCrop offsets). Images are stored already resized, so this is the whole test transform.</summary>
public sealed class CentreCropTransform(int channels, int size, ChannelNormalisation normalisation) : IFiniteImageTransform
{
    public long[] OutputShape { get; } = [channels, size, size];
    public ChannelNormalisation Normalisation { get; } = normalisation;

    /// <summary>One outcome: the crop draws nothing.</summary>
    public int VariantCount => 1;

    public int Draw(Random random) => 0;

    public void Apply(in StoredImage source, Span<byte> destination, Random random) => Render(source, destination, Draw(random));

    public void Render(in StoredImage source, Span<byte> destination, int variant)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(variant, 0);
        if (source.Height < size || source.Width < size || source.Channels != channels)
            throw new ArgumentException($"Image {source.Channels}x{source.Height}x{source.Width} cannot be centre-cropped to {channels}x{size}x{size}.");
        var top = (int)Math.Round((source.Height - size) / 2.0);
        var left = (int)Math.Round((source.Width - size) / 2.0);
        var src = source.Pixels.Span;
        for (var c = 0; c < channels; c++)
            for (var y = 0; y < size; y++)
                src.Slice((c * source.Height + top + y) * source.Width + left, size)
                    .CopyTo(destination.Slice((c * size + y) * size, size));
    }
}
