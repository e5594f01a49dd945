namespace Refilled.Engine.Data;

/// <summary>A dataset file is malformed or truncated; names the file and the record (−1 for the header).</summary>
public sealed class DatasetFormatException : IOException
{
    public DatasetFormatException(string filePath, long recordIndex, string problem, Exception? inner = null)
        : base($"{filePath}: {(recordIndex < 0 ? "header" : $"record {recordIndex}")}: {problem}", inner)
    {
        FilePath = filePath;
        RecordIndex = recordIndex;
    }

    public string FilePath { get; }

    /// <summary>Zero-based record (image, label or line) at fault; −1 when the header is.</summary>
    public long RecordIndex { get; }
}
