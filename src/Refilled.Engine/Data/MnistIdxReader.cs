using System.Buffers.Binary;
using System.IO.Compression;

namespace Refilled.Engine.Data;

/// <summary>Reads MNIST-style IDX files (idx3-ubyte images, idx1-ubyte labels), plain or gzip-compressed: MNIST and Fashion-MNIST.</summary>
internal static class MnistIdxReader
{
    const int ImagesMagic = 0x00000803, LabelsMagic = 0x00000801;

    /// <summary>Finds the split's image and label files in <paramref name="folder"/> under their usual names.</summary>
    public static RawImageSet ReadSplit(string folder, bool train, IReadOnlyList<string>? classNames = null)
    {
        var prefix = train ? "train" : "t10k";
        return Read(Find(folder, prefix + "-images", "idx3-ubyte"), Find(folder, prefix + "-labels", "idx1-ubyte"), classNames);
    }

    public static RawImageSet Read(string imagesPath, string labelsPath, IReadOnlyList<string>? classNames = null)
    {
        var imageBytes = Load(imagesPath);
        var labelBytes = Load(labelsPath);
        var (count, rows, cols) = ImagesHeader(imagesPath, imageBytes);
        var labelCount = Header(labelsPath, labelBytes, LabelsMagic, 1)[0];
        if (labelCount != count)
            throw new DatasetFormatException(labelsPath, -1, $"{labelCount} labels for {count} images in {imagesPath}.");

        if ((long)rows * cols > ImageDecoder.MaxPixels)
            throw new DatasetFormatException(imagesPath, -1, $"images of {rows}x{cols} pixels are larger than the {ImageDecoder.MaxPixels:N0} pixels this reader accepts.");
        // Load() read at most MaxFileBytes, so the products below fit an int.
        var size = rows * cols;
        var pixelsAvailable = imageBytes.Length - 16;
        if (pixelsAvailable < (long)count * size)
            throw new DatasetFormatException(imagesPath, pixelsAvailable / size, $"file ends inside this image (header promises {count} images of {rows}x{cols}).");
        if (labelBytes.Length - 8 < count)
            throw new DatasetFormatException(labelsPath, labelBytes.Length - 8, $"file ends before this label (header promises {count}).");

        var pixels = new ReadOnlyMemory<byte>(imageBytes, 16, count * size);
        var images = new StoredImage[count];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            images[i] = new StoredImage(pixels.Slice(i * size, size), 1, rows, cols);
            labels[i] = labelBytes[8 + i];
            if (labels[i] > 9) throw new DatasetFormatException(labelsPath, i, $"label {labels[i]} is not a class id 0..9.");
        }
        return new RawImageSet(images, labels, 10, classNames);
    }

    static (int Count, int Rows, int Cols) ImagesHeader(string path, byte[] bytes)
    {
        var dims = Header(path, bytes, ImagesMagic, 3);
        return (dims[0], dims[1], dims[2]);
    }

    static int[] Header(string path, byte[] bytes, int magic, int dimensions)
    {
        if (bytes.Length < 4 + 4 * dimensions) throw new DatasetFormatException(path, -1, "file is shorter than the IDX header.");
        var found = BinaryPrimitives.ReadInt32BigEndian(bytes);
        if (found != magic) throw new DatasetFormatException(path, -1, $"magic number 0x{found:X8}, expected 0x{magic:X8}.");
        var dims = new int[dimensions];
        for (var d = 0; d < dimensions; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(4 + 4 * d));
            if (dims[d] < 0) throw new DatasetFormatException(path, -1, $"negative dimension {dims[d]}.");
        }
        return dims;
    }

    /// <summary>The largest IDX file read (EMNIST's biggest is about half of this).</summary>
    internal const long MaxFileBytes = 1L << 30;

    /// <summary>
    /// Reads the header and as many bytes as it declares, no more: a gzip stream may inflate far beyond its file, and a
    /// header may declare more than any memory holds, so both are bounded before the data is read.
    /// </summary>
    static byte[] Load(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        var gzip = file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        try
        {
            using var stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            var prefix = new byte[4];
            var read = stream.ReadAtLeast(prefix, 4, throwOnEndOfStream: false);
            var dims = new byte[4 * (read == 4 ? prefix[3] : 0)];
            var dimsRead = stream.ReadAtLeast(dims, dims.Length, throwOnEndOfStream: false);
            var output = new MemoryStream();
            output.Write(prefix, 0, read);
            output.Write(dims, 0, dimsRead);
            // A short header or one that is not unsigned-byte IDX: Header() says which.
            if (read < 4 || dimsRead < dims.Length || prefix is not [0, 0, 0x08, _]) return output.ToArray();

            // One byte per value (unsigned byte IDX); the product saturates rather than overflows.
            long values = 1;
            for (var d = 0; d < dims.Length; d += 4)
            {
                var size = (long)BinaryPrimitives.ReadUInt32BigEndian(dims.AsSpan(d));
                values = size == 0 ? 0 : Math.Min(values, MaxFileBytes + 1) * Math.Min(size, MaxFileBytes + 1);
            }
            if (values > MaxFileBytes - output.Length)
                throw new DatasetFormatException(path, -1, $"the header declares more than the {MaxFileBytes:N0} bytes this reader accepts.");
            var buffer = new byte[81920];
            for (var left = values; left > 0;)
            {
                var n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (n == 0) break; // a short file: Read() reports the record it ends in
                output.Write(buffer, 0, n);
                left -= n;
            }
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, -1, "corrupt gzip stream: " + e.Message, e);
        }
    }

    static string Find(string folder, string stem, string kind)
    {
        string[] names = [$"{stem}-{kind}", $"{stem}.{kind}"];
        foreach (var name in names)
            foreach (var candidate in new[] { name, name + ".gz" })
            {
                var path = Path.Combine(folder, candidate);
                if (File.Exists(path)) return path;
            }
        throw new FileNotFoundException($"No {stem}-{kind}[.gz] in {folder}.", Path.Combine(folder, names[0]));
    }
}
