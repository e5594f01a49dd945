namespace Refilled.Engine.Data;

/// <summary>
/// Reads the CIFAR binary version: per record, the label byte(s) then 3,072 pixel bytes (1,024 R, G, B, row-major),
/// which is already the C,H,W layout. CIFAR-100 records carry a coarse then a fine label; CIFAR-10 one label.
/// </summary>
internal static class CifarBinaryReader
{
    const int PixelBytes = 3 * 32 * 32;

    public static RawImageSet ReadCifar100(string folder, bool train, bool coarse)
    {
        var dir = Locate(folder, "train.bin", "cifar-100-binary");
        var path = Path.Combine(dir, train ? "train.bin" : "test.bin");
        var classes = coarse ? 20 : 100;
        return Read([path], labelBytes: 2, labelOffset: coarse ? 0 : 1, classes, Names(dir, coarse ? "coarse_label_names.txt" : "fine_label_names.txt"));
    }

    public static RawImageSet ReadCifar10(string folder, bool train)
    {
        var dir = Locate(folder, "data_batch_1.bin", "cifar-10-batches-bin");
        string[] files = train
            ? [.. Enumerable.Range(1, 5).Select(i => Path.Combine(dir, $"data_batch_{i}.bin"))]
            : [Path.Combine(dir, "test_batch.bin")];
        return Read(files, labelBytes: 1, labelOffset: 0, 10, Names(dir, "batches.meta.txt"));
    }

    internal static RawImageSet Read(string[] paths, int labelBytes, int labelOffset, int classes, IReadOnlyList<string>? names)
    {
        var recordBytes = labelBytes + PixelBytes;
        var images = new List<StoredImage>();
        var labels = new List<int>();
        foreach (var path in paths)
        {
            if (!File.Exists(path)) throw new FileNotFoundException($"CIFAR file {path} is missing.", path);
            var bytes = File.ReadAllBytes(path);
            var records = bytes.Length / recordBytes;
            if (bytes.Length % recordBytes != 0)
                throw new DatasetFormatException(path, records, $"file ends inside this record ({bytes.Length} bytes is not a multiple of {recordBytes}).");
            for (var r = 0; r < records; r++)
            {
                var offset = r * recordBytes;
                var label = bytes[offset + labelOffset];
                if (label >= classes) throw new DatasetFormatException(path, r, $"label {label} is out of range 0..{classes - 1}.");
                labels.Add(label);
                images.Add(new StoredImage(new ReadOnlyMemory<byte>(bytes, offset + labelBytes, PixelBytes), 3, 32, 32));
            }
        }
        return new RawImageSet(images, [.. labels], classes, names);
    }

    // -Path may name the folder with the .bin files or the parent the official archive unpacks into.
    static string Locate(string folder, string marker, string archiveFolder)
    {
        if (File.Exists(Path.Combine(folder, marker))) return folder;
        var nested = Path.Combine(folder, archiveFolder);
        if (File.Exists(Path.Combine(nested, marker))) return nested;
        throw new FileNotFoundException($"No {marker} in {folder} or {nested}.", Path.Combine(folder, marker));
    }

    static IReadOnlyList<string>? Names(string dir, string file)
    {
        var path = Path.Combine(dir, file);
        return File.Exists(path) ? [.. File.ReadAllLines(path).Where(l => l.Trim().Length > 0).Select(l => l.Trim())] : null;
    }
}
