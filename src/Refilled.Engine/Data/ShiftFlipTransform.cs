namespace Refilled.Engine.Data;

/// <summary>
/// Random translation by up to ±MaxShift px with zero fill, optionally a horizontal flip. With MaxShift 4 this is
/// torchvision's RandomCrop(size, padding 4) (zero padding, crop back to size); with 0 and no flip it is a copy.
/// </summary>
public sealed class ShiftFlipTransform(int channels, int height, int width, int maxShift, bool flip, ChannelNormalisation normalisation)
    : IFiniteImageTransform
{
    public long[] OutputShape { get; } = [channels, height, width];
    public ChannelNormalisation Normalisation { get; } = normalisation;
    public int MaxShift { get; } = maxShift;
    public bool Flip { get; } = flip;

    int Shifts => 2 * MaxShift + 1;
    int Mirrors => Flip ? 2 : 1;

    /// <summary>Variants are numbered ((dy + MaxShift)·Shifts + dx + MaxShift)·Mirrors + mirror.</summary>
    public int VariantCount => Shifts * Shifts * Mirrors;

    public void Apply(in StoredImage source, Span<byte> destination, Random random) => Render(source, destination, Draw(random));

    public int Draw(Random random)
    {
        // Drawn in a fixed order so the stream of random numbers does not depend on the image.
        var dy = MaxShift == 0 ? 0 : random.Next(-MaxShift, MaxShift + 1);
        var dx = MaxShift == 0 ? 0 : random.Next(-MaxShift, MaxShift + 1);
        var mirror = Flip && random.Next(2) == 1;
        return ((dy + MaxShift) * Shifts + dx + MaxShift) * Mirrors + (mirror ? 1 : 0);
    }

    public void Render(in StoredImage source, Span<byte> destination, int variant)
    {
        if (source.Channels != channels || source.Height != height || source.Width != width)
            throw new ArgumentException($"Image is {source.Channels}x{source.Height}x{source.Width}, transform expects {channels}x{height}x{width}.");
        ArgumentOutOfRangeException.ThrowIfNegative(variant);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(variant, VariantCount);
        var mirror = variant % Mirrors == 1;
        var dx = variant / Mirrors % Shifts - MaxShift;
        var dy = variant / Mirrors / Shifts - MaxShift;
        var src = source.Pixels.Span;
        if (dy == 0 && dx == 0 && !mirror)
        {
            src[..(channels * height * width)].CopyTo(destination);
            return;
        }
        destination[..(channels * height * width)].Clear();
        for (var c = 0; c < channels; c++)
        {
            for (var y = 0; y < height; y++)
            {
                var sy = y + dy;
                if ((uint)sy >= (uint)height) continue;
                var srcRow = src.Slice((c * height + sy) * width, width);
                var dstRow = destination.Slice((c * height + y) * width, width);
                // Output column x reads shifted column x+dx; a flip mirrors the output afterwards.
                var x0 = Math.Max(0, -dx);
                var x1 = Math.Min(width, width - dx);
                if (!mirror)
                {
                    srcRow.Slice(x0 + dx, x1 - x0).CopyTo(dstRow.Slice(x0, x1 - x0));
                }
                else
                {
                    for (var x = x0; x < x1; x++) dstRow[width - 1 - x] = srcRow[x + dx];
                }
            }
        }
    }
}
