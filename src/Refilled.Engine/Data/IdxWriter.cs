using System.Buffers.Binary;

namespace Refilled.Engine.Data;

/// <summary>Writes uncompressed IDX files, the format <see cref="MnistIdxReader"/> reads.</summary>
internal static class IdxWriter
{
    public static void WriteImages(string path, byte[] pixels, int count, int rows, int cols) =>
        Write(path, 0x00000803, [count, rows, cols], pixels);

    public static void WriteLabels(string path, byte[] labels) =>
        Write(path, 0x00000801, [labels.Length], labels);

    static void Write(string path, int magic, int[] dims, byte[] data)
    {
        using var file = File.Create(path);
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, magic);
        file.Write(word);
        foreach (var d in dims)
        {
            BinaryPrimitives.WriteInt32BigEndian(word, d);
            file.Write(word);
        }
        file.Write(data);
    }
}
