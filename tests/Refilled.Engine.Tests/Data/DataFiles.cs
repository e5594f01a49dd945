using System.Buffers.Binary;
using System.Formats.Tar;
using System.IO.Compression;
using SkiaSharp;

namespace Refilled.Engine.Tests.Data;

/// <summary>Writes tiny files in the real on-disk formats; pixel values are functions of (record, position).</summary>
internal static class DataFiles
{
    public static byte Pixel(int record, int position) => (byte)((record * 7 + position) % 251);

    public static void Idx(string folder, string prefix, int[] labels, bool gzip = false)
    {
        var images = new MemoryStream();
        Word(images, 0x803); Word(images, labels.Length); Word(images, 28); Word(images, 28);
        for (var r = 0; r < labels.Length; r++)
            for (var p = 0; p < 784; p++) images.WriteByte(Pixel(r, p));
        var labelBytes = new MemoryStream();
        Word(labelBytes, 0x801); Word(labelBytes, labels.Length);
        foreach (var l in labels) labelBytes.WriteByte((byte)l);
        Save(Path.Combine(folder, $"{prefix}-images-idx3-ubyte"), images.ToArray(), gzip);
        Save(Path.Combine(folder, $"{prefix}-labels-idx1-ubyte"), labelBytes.ToArray(), gzip);
    }

    public static byte[] CifarRecords(int[] labels, int[]? coarse = null)
    {
        var labelBytes = coarse == null ? 1 : 2;
        var data = new byte[labels.Length * (labelBytes + 3072)];
        for (var r = 0; r < labels.Length; r++)
        {
            var o = r * (labelBytes + 3072);
            if (coarse != null) data[o++] = (byte)coarse[r];
            data[o++] = (byte)labels[r];
            for (var p = 0; p < 3072; p++) data[o + p] = Pixel(r, p);
        }
        return data;
    }

    public static void Image(string path, int width, int height, SKColor color)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        using var data = bitmap.Encode(path.EndsWith(".png") ? SKEncodedImageFormat.Png : SKEncodedImageFormat.Jpeg, 95);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>A .tar.gz with the given (name, content) files; content null makes a directory.</summary>
    public static byte[] TarGz(params (string Name, byte[]? Content)[] entries)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, content) in entries)
            {
                var entry = new PaxTarEntry(content == null ? TarEntryType.Directory : TarEntryType.RegularFile, name);
                if (content != null) entry.DataStream = new MemoryStream(content);
                tar.WriteEntry(entry);
            }
        }
        return output.ToArray();
    }

    static void Word(Stream s, int value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(b, value);
        s.Write(b);
    }

    static void Save(string path, byte[] bytes, bool gzip)
    {
        if (!gzip) { File.WriteAllBytes(path, bytes); return; }
        using var file = File.Create(path + ".gz");
        using var z = new GZipStream(file, CompressionLevel.Fastest);
        z.Write(bytes);
    }
}
