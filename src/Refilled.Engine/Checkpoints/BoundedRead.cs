using System.IO.Compression;

namespace Refilled.Engine.Checkpoints;

/// <summary>
/// Reads files and zip entries into memory without trusting any size the file declares: a zip entry's declared length
/// is the author's claim, so reads stop at a limit the caller derives from what is really on disk.
/// </summary>
internal static class BoundedRead
{
    /// <summary>Reads a whole file that must not exceed <paramref name="limit"/> bytes (at most a .NET array's length).</summary>
    public static byte[] File(string path, long limit, string what)
    {
        using var file = System.IO.File.OpenRead(path);
        var size = file.Length;
        if (size > Math.Min(limit, Array.MaxLength))
            throw new CheckpointFormatException(path, $"the {what} is {size:N0} bytes, more than the {Math.Min(limit, Array.MaxLength):N0} this reader accepts");
        var bytes = new byte[size];
        file.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>
    /// Reads a zip entry, refusing one that declares or inflates to more than <paramref name="limit"/> bytes, or whose
    /// content is longer or shorter than it declares.
    /// </summary>
    public static byte[] Entry(ZipArchiveEntry entry, long limit, string path)
    {
        limit = Math.Min(limit, Array.MaxLength - 1);
        if (entry.Length > limit)
            throw new CheckpointFormatException(path, $"entry '{entry.FullName}' declares {entry.Length:N0} bytes, more than the {limit:N0} the file can hold");
        var bytes = new byte[entry.Length];
        using var stream = entry.Open();
        var read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
        if (read < bytes.Length || stream.ReadByte() >= 0)
            throw new CheckpointFormatException(path, $"entry '{entry.FullName}' does not hold the {entry.Length:N0} bytes it declares");
        return bytes;
    }
}
