namespace Refilled.Engine.Checkpoints;

/// <summary>A checkpoint file that cannot be read: truncated, corrupt, or not in a supported format.</summary>
public class CheckpointFormatException : Exception
{
    public CheckpointFormatException(string path, string reason, Exception? inner = null)
        : base($"Cannot read checkpoint '{path}': {reason}", inner)
    {
        Path = path;
        Reason = reason;
    }

    /// <summary>What is wrong with the file, without the file's name.</summary>
    public string Reason { get; }

    /// <summary>The file that failed to load.</summary>
    public string Path { get; }

    /// <summary>The first line of a (libtorch) message, without the stack dump that follows it.</summary>
    internal static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
