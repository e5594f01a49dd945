using System.Formats.Tar;
using System.IO.Compression;

namespace Refilled.Engine.Data;

/// <summary>
/// Extracts tar, tar.gz/tgz and zip archives, refusing any entry that would escape the target folder: absolute
/// paths, ../ segments, symbolic and hard links, devices.
/// </summary>
public static class ArchiveExtractor
{
    public static void ExtractTo(string archivePath, string targetFolder)
    {
        Directory.CreateDirectory(targetFolder);
        var target = Path.GetFullPath(targetFolder);
        if (archivePath.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)) ExtractZip(archivePath, target);
        else ExtractTar(archivePath, target);
    }

    static void ExtractTar(string archivePath, string target)
    {
        using var file = File.OpenRead(archivePath);
        Span<byte> magic = stackalloc byte[2];
        var gzip = file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        using Stream stream = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var tar = new TarReader(stream);
        while (tar.GetNextEntry() is { } entry)
        {
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(SafePath(archivePath, target, entry.Name));
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    var path = SafePath(archivePath, target, entry.Name);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    using (var output = new FileStream(path, FileMode.CreateNew))
                        entry.DataStream?.CopyTo(output);
                    break;
                case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                    throw new UnsafeArchiveEntryException(archivePath, entry.Name, $"links are not extracted (→ {entry.LinkName})");
                case TarEntryType.GlobalExtendedAttributes or TarEntryType.ExtendedAttributes
                    or TarEntryType.LongLink or TarEntryType.LongPath:
                    break; // metadata the reader has already applied to the next entry
                default:
                    throw new UnsafeArchiveEntryException(archivePath, entry.Name, $"entry type {entry.EntryType} is not a file or folder");
            }
        }
    }

    static void ExtractZip(string archivePath, string target)
    {
        using var zip = ZipFile.OpenRead(archivePath);
        foreach (var entry in zip.Entries)
        {
            // Unix mode bits live in the high 16 bits of the external attributes; 0xA000 is a symbolic link.
            if (((entry.ExternalAttributes >> 16) & 0xF000) == 0xA000)
                throw new UnsafeArchiveEntryException(archivePath, entry.FullName, "links are not extracted");
            var path = SafePath(archivePath, target, entry.FullName);
            if (entry.FullName.EndsWith('/') || entry.FullName.EndsWith('\\'))
            {
                Directory.CreateDirectory(path);
                continue;
            }
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            entry.ExtractToFile(path, overwrite: false);
        }
    }

    static string SafePath(string archivePath, string target, string entryName)
    {
        var name = entryName.Replace('\\', '/');
        if (name.StartsWith('/') || Path.IsPathRooted(name) || (name.Length > 1 && name[1] == ':'))
            throw new UnsafeArchiveEntryException(archivePath, entryName, "absolute path");
        if (name.Split('/').Contains(".."))
            throw new UnsafeArchiveEntryException(archivePath, entryName, "path climbs out with ..");
        var full = Path.GetFullPath(Path.Combine(target, name));
        if (full != target && !full.StartsWith(target.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new UnsafeArchiveEntryException(archivePath, entryName, "path escapes the target folder");
        return full;
    }
}
