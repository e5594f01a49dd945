namespace Refilled.Engine.Data;

/// <summary>A downloaded file's SHA-256 is not the published one. The file has been deleted; nothing was extracted.</summary>
public sealed class ChecksumMismatchException(string url, string expected, string actual)
    : IOException($"{url}: SHA-256 is {actual}, expected {expected}. The download was discarded; nothing was extracted.")
{
    public string Url { get; } = url;
    public string Expected { get; } = expected;
    public string Actual { get; } = actual;
}
