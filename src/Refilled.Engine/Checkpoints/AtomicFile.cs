namespace Refilled.Engine.Checkpoints;

/// <summary>
/// The one way Refilled writes a file that must never be seen half-written (checkpoints, run state, metrics, plots):
/// a temporary file beside the target, flushed to disk, then renamed over it. A failure deletes the temporary file
/// and leaves the previous target intact; a temporary file left by a killed process is deleted by the next write.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, Action<Stream> write)
    {
        path = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        DeleteAbandonedTemps(directory, Path.GetFileName(path));
        var temp = Path.Combine(directory, $"{TempPrefix(Path.GetFileName(path))}{Guid.NewGuid():N}.tmp");
        try
        {
            // The open handle (a shared lock on Unix) marks the temp as live until it has been renamed.
            using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete);
            write(file);
            file.Flush(flushToDisk: true);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public static void WriteAllBytes(string path, byte[] content) => Write(path, stream => stream.Write(content));

    static string TempPrefix(string fileName) => $".{fileName}.";

    // A temp that nobody holds open belongs to a writer that died; one being written is locked and stays.
    static void DeleteAbandonedTemps(string directory, string fileName)
    {
        foreach (var temp in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            if (!Path.GetFileName(temp).StartsWith(TempPrefix(fileName), StringComparison.Ordinal)) continue;
            try
            {
                using var probe = new FileStream(temp, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                File.Delete(temp);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
