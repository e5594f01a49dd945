using Refilled.Engine.Runtime;

namespace Refilled.Engine.Data;

/// <summary>
/// Reads one sub-folder per class (jpg, jpeg, png). Class ids follow the ordinal order of folder names, as in
/// torchvision's ImageFolder. When the folder has train/ and test/ (or val/) sub-folders, those are the splits;
/// otherwise the folder is the training split. Links may point anywhere inside the dataset folder but not out of it (a
/// shared folder must not make another user's files training data), and only regular files are read: a FIFO named
/// y.png would block the reader forever.
/// </summary>
internal static class ImageFolderReader
{
    static readonly string[] Extensions = [".jpg", ".jpeg", ".png"];

    public static RawImageSet Read(string folder, bool train, int shorterSide, Action<string>? warning = null)
    {
        var root = SplitFolder(folder, train);
        var classDirs = Directory.GetDirectories(root).OrderBy(d => Path.GetFileName(d), StringComparer.Ordinal).ToArray();
        if (classDirs.Length == 0) throw new DirectoryNotFoundException($"{root} has no class sub-folders.");
        var inside = NoFollowFile.RealPath(folder).TrimEnd('/') + "/";
        var files = new List<string>();
        var labels = new List<int>();
        for (var c = 0; c < classDirs.Length; c++)
        {
            EnsureInside(classDirs[c], inside, folder);
            foreach (var file in Directory.EnumerateFiles(classDirs[c], "*", SearchOption.AllDirectories)
                         .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
                         .OrderBy(f => f, StringComparer.Ordinal))
            {
                EnsureInside(file, inside, folder);
                if (!NoFollowFile.IsRegularFile(file))
                {
                    warning?.Invoke($"Skipping '{file}': not a regular file (a FIFO, socket or device), which an image folder never holds.");
                    continue;
                }
                files.Add(file);
                labels.Add(c);
            }
        }
        var images = ImageDecoder.DecodeAll(files, [.. Enumerable.Range(0, files.Count).Select(i => (long)i)], shorterSide);
        return new RawImageSet(images, [.. labels], classDirs.Length, [.. classDirs.Select(d => Path.GetFileName(d))]);
    }

    static void EnsureInside(string path, string inside, string folder)
    {
        if (!NoFollowFile.RealPath(path).StartsWith(inside, StringComparison.Ordinal))
            throw new UnsafePathException(path, $"is a link that leads out of the dataset folder '{folder}'");
    }

    static string SplitFolder(string folder, bool train)
    {
        var trainDir = Path.Combine(folder, "train");
        if (!Directory.Exists(trainDir))
            return train ? folder : throw new DirectoryNotFoundException($"{folder} has no test/ or val/ folder, so it has no Test split.");
        if (train) return trainDir;
        foreach (var name in new[] { "test", "val" })
            if (Directory.Exists(Path.Combine(folder, name))) return Path.Combine(folder, name);
        throw new DirectoryNotFoundException($"{folder} has train/ but no test/ or val/.");
    }
}
