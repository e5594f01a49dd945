namespace Refilled.Engine.Data;

/// <summary>
/// torchvision RandomResizedCrop (scale 0.08–1, ratio 3/4–4/3, bilinear, align_corners false) followed by a random
/// horizontal flip.
/// </summary>
public sealed class RandomResizedCropTransform(int channels, int size, ChannelNormalisation normalisation) : IImageTransform
{
    const double MinScale = 0.08, MaxScale = 1.0;
    static readonly double LogMinRatio = Math.Log(3.0 / 4.0), LogMaxRatio = Math.Log(4.0 / 3.0);

    public long[] OutputShape { get; } = [channels, size, size];
    public ChannelNormalisation Normalisation { get; } = normalisation;

    public void Apply(in StoredImage source, Span<byte> destination, Random random)
    {
        if (source.Channels != channels)
            throw new ArgumentException($"Image has {source.Channels} channels, transform expects {channels}.");
        var (top, left, h, w) = CropBox(source.Height, source.Width, random);
        var mirror = random.Next(2) == 1;
        ResizeBilinear(source, top, left, h, w, destination, mirror);
    }

    internal static (int Top, int Left, int Height, int Width) CropBox(int height, int width, Random random)
    {
        var area = (double)height * width;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var target = area * (MinScale + random.NextDouble() * (MaxScale - MinScale));
            var ratio = Math.Exp(LogMinRatio + random.NextDouble() * (LogMaxRatio - LogMinRatio));
            var w = (int)Math.Round(Math.Sqrt(target * ratio));
            var h = (int)Math.Round(Math.Sqrt(target / ratio));
            if (w > 0 && h > 0 && w <= width && h <= height)
                return (random.Next(height - h + 1), random.Next(width - w + 1), h, w);
        }
        // Fallback as in torchvision: the largest centred crop whose ratio is within bounds.
        var inRatio = (double)width / height;
        int cw, ch;
        if (inRatio < 3.0 / 4.0) { cw = width; ch = (int)Math.Round(cw / (3.0 / 4.0)); }
        else if (inRatio > 4.0 / 3.0) { ch = height; cw = (int)Math.Round(ch * (4.0 / 3.0)); }
        else { cw = width; ch = height; }
        return ((height - ch) / 2, (width - cw) / 2, ch, cw);
    }

    void ResizeBilinear(in StoredImage source, int top, int left, int h, int w, Span<byte> destination, bool mirror)
    {
        Span<int> x0 = stackalloc int[size];
        Span<int> x1 = stackalloc int[size];
        Span<float> fx = stackalloc float[size];
        for (var x = 0; x < size; x++)
        {
            var sx = Math.Clamp((x + 0.5f) * w / size - 0.5f, 0f, w - 1);
            var i = (int)sx;
            x0[x] = left + i;
            x1[x] = left + Math.Min(i + 1, w - 1);
            fx[x] = sx - i;
        }
        var src = source.Pixels.Span;
        var sw = source.Width;
        for (var y = 0; y < size; y++)
        {
            var sy = Math.Clamp((y + 0.5f) * h / size - 0.5f, 0f, h - 1);
            var j = (int)sy;
            var y0 = top + j;
            var y1 = top + Math.Min(j + 1, h - 1);
            var fy = sy - j;
            for (var c = 0; c < channels; c++)
            {
                var plane = c * source.Height * sw;
                var r0 = src.Slice(plane + y0 * sw, sw);
                var r1 = src.Slice(plane + y1 * sw, sw);
                var dst = destination.Slice((c * size + y) * size, size);
                for (var x = 0; x < size; x++)
                {
                    var a = r0[x0[x]] + (r0[x1[x]] - r0[x0[x]]) * fx[x];
                    var b = r1[x0[x]] + (r1[x1[x]] - r1[x0[x]]) * fx[x];
                    dst[mirror ? size - 1 - x : x] = (byte)Math.Clamp((int)(a + (b - a) * fy + 0.5f), 0, 255);
                }
            }
        }
    }
}
