namespace Refilled.Engine.Checkpoints;

/// <summary>Stored weights that do not fit the network: a missing, unexpected or differently shaped key.</summary>
public sealed class ArchitectureMismatchException : Exception
{
    public ArchitectureMismatchException(string path, string architecture, string key, long[]? expectedShape, long[]? actualShape, string? detail = null)
        : base($"Checkpoint '{path}' does not fit {architecture}: key '{key}' " +
               (expectedShape is null ? $"is not part of {architecture} (stored shape {Format(actualShape)})"
                : actualShape is null ? $"is missing (expected shape {Format(expectedShape)})"
                : $"has shape {Format(actualShape)} but {architecture} expects {Format(expectedShape)}") +
               (detail is null ? "." : $" ({detail})."))
    {
        Path = path;
        Architecture = architecture;
        Key = key;
        ExpectedShape = expectedShape;
        ActualShape = actualShape;
    }

    public string Path { get; }
    public string Architecture { get; }
    public string Key { get; }

    /// <summary>The network's shape; null when the key is not part of the network.</summary>
    public long[]? ExpectedShape { get; }

    /// <summary>The stored shape; null when the file lacks the key.</summary>
    public long[]? ActualShape { get; }

    static string Format(long[]? shape) => shape is null ? "none" : "[" + string.Join(", ", shape) + "]";
}
