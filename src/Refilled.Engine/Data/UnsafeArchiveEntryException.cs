namespace Refilled.Engine.Data;

/// <summary>An archive entry would land outside the target folder (../, absolute path) or is a link or device.</summary>
public sealed class UnsafeArchiveEntryException(string archivePath, string entryName, string reason)
    : IOException($"{archivePath}: refusing entry \"{entryName}\": {reason}.")
{
    public string ArchivePath { get; } = archivePath;
    public string EntryName { get; } = entryName;
}
