namespace Refilled.Engine.Data;

/// <summary>
/// Reads CUB-200-2011: images.txt (id path), image_class_labels.txt (id class, 1-based), train_test_split.txt
/// (id is_train) and images/. Original class ids here are 0-based (file class − 1).
/// </summary>
internal static class CubReader
{
    public static RawImageSet Read(string folder, bool train, int shorterSide)
    {
        var dir = File.Exists(Path.Combine(folder, "images.txt")) ? folder : Path.Combine(folder, "CUB_200_2011");
        var paths = Table(Path.Combine(dir, "images.txt"));
        var classes = Table(Path.Combine(dir, "image_class_labels.txt"));
        var splitPath = Path.Combine(dir, "train_test_split.txt");
        var split = Table(splitPath);

        var chosen = paths.Keys.Where(id => (split.TryGetValue(id, out var s) ? s : throw new DatasetFormatException(splitPath, -1, $"no entry for image {id}.")) == (train ? "1" : "0"))
            .OrderBy(id => id).ToArray();
        var labels = new int[chosen.Length];
        var files = new string[chosen.Length];
        var labelPath = Path.Combine(dir, "image_class_labels.txt");
        for (var i = 0; i < chosen.Length; i++)
        {
            if (!classes.TryGetValue(chosen[i], out var c) || !int.TryParse(c, out var cls) || cls is < 1 or > 200)
                throw new DatasetFormatException(labelPath, -1, $"image {chosen[i]} has no valid class (1..200).");
            labels[i] = cls - 1;
            files[i] = Path.Combine(dir, "images", paths[chosen[i]]);
        }

        var images = ImageDecoder.DecodeAll(files, [.. chosen.Select(id => (long)id - 1)], shorterSide);
        return new RawImageSet(images, labels, 200, ClassNames(dir));
    }

    // "id value" lines; a malformed line names the file and its 0-based line number.
    static Dictionary<int, string> Table(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"CUB file {path} is missing.", path);
        var table = new Dictionary<int, string>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            if (line.Trim().Length > 0)
            {
                var parts = line.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length != 2 || !int.TryParse(parts[0], out var id))
                    throw new DatasetFormatException(path, lineNumber, $"expected \"<id> <value>\", found \"{line}\".");
                table[id] = parts[1];
            }
            lineNumber++;
        }
        return table;
    }

    static IReadOnlyList<string>? ClassNames(string dir)
    {
        var path = Path.Combine(dir, "classes.txt");
        if (!File.Exists(path)) return null;
        var names = Table(path);
        return [.. Enumerable.Range(1, 200).Select(id => names.TryGetValue(id, out var n) ? n : id.ToString())];
    }
}
