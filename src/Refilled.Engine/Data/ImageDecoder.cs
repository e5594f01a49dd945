using SkiaSharp;

namespace Refilled.Engine.Data;

/// <summary>
/// Decodes JPEG/PNG files with SkiaSharp to RGB and resizes so the shorter side is a fixed length (torchvision
/// Resize(n)); resizing at load bounds the memory a folder of photographs needs.
/// </summary>
internal static class ImageDecoder
{
    /// <summary>
    /// The most pixels an image may declare (8192²): decoding allocates 4 bytes per pixel before any resize, so a
    /// header declaring 30000² pixels would cost 3.6 GB per file decoded.
    /// </summary>
    public const long MaxPixels = 8192L * 8192;

    /// <summary>
    /// The most the longer side may exceed the shorter (a panorama is about 4): resizing scales the shorter side, so a
    /// 4000x1 PNG of 84 bytes would become 1,024,000x256 pixels.
    /// </summary>
    public const int MaxAspectRatio = 16;

    /// <summary>Decodes files in parallel; the first failure surfaces as itself, not wrapped in an AggregateException.</summary>
    public static StoredImage[] DecodeAll(IReadOnlyList<string> files, IReadOnlyList<long> recordIndices, int shorterSide)
    {
        var images = new StoredImage[files.Count];
        try
        {
            Parallel.For(0, files.Count, i => images[i] = DecodeRgb(files[i], recordIndices[i], shorterSide));
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerExceptions.OrderBy(x => (x as DatasetFormatException)?.RecordIndex ?? long.MaxValue).First());
        }
        return images;
    }

    public static StoredImage DecodeRgb(string path, long recordIndex, int shorterSide)
    {
        using var codec = SKCodec.Create(path, out var opened)
            ?? throw new DatasetFormatException(path, recordIndex, $"not a decodable image ({opened}).");
        if ((long)codec.Info.Width * codec.Info.Height > MaxPixels)
            throw new DatasetFormatException(path, recordIndex,
                $"the image declares {codec.Info.Width}x{codec.Info.Height} pixels, more than the {MaxPixels:N0} this reader decodes.");
        var (shorter, longer) = (Math.Min(codec.Info.Width, codec.Info.Height), Math.Max(codec.Info.Width, codec.Info.Height));
        if (longer > (long)MaxAspectRatio * shorter)
            throw new DatasetFormatException(path, recordIndex,
                $"the image is {codec.Info.Width}x{codec.Info.Height} pixels, its longer side more than {MaxAspectRatio} times its shorter.");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var decoded = new SKBitmap(info);
        var result = codec.GetPixels(info, decoded.GetPixels());
        if (result != SKCodecResult.Success)
            throw new DatasetFormatException(path, recordIndex, $"image data is damaged or cut off ({result}).");

        var scale = (double)shorterSide / Math.Min(info.Width, info.Height);
        var w = Math.Max(1, (int)Math.Round(info.Width * scale));
        var h = Math.Max(1, (int)Math.Round(info.Height * scale));
        var bitmap = decoded;
        using var resized = w == info.Width && h == info.Height
            ? null
            : decoded.Resize(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Unpremul), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        if (resized != null) bitmap = resized;

        // RGBA interleaved → RGB planes.
        var rgba = bitmap.GetPixelSpan();
        var stride = bitmap.RowBytes;
        var plane = w * h;
        var chw = new byte[3 * plane];
        for (var y = 0; y < h; y++)
        {
            var row = rgba.Slice(y * stride, w * 4);
            for (var x = 0; x < w; x++)
            {
                var p = y * w + x;
                chw[p] = row[4 * x];
                chw[plane + p] = row[4 * x + 1];
                chw[2 * plane + p] = row[4 * x + 2];
            }
        }
        return new StoredImage(chw, 3, h, w);
    }
}
