namespace Refilled.Engine.Data;

/// <summary>A file's SHA-256 is not the published one; nothing was extracted (a download is also deleted).</summary>
public sealed class ChecksumMismatchException(string url, string expected, string actual,
    string consequence = "The download was discarded; nothing was extracted.")
    : IOException($"{url}: SHA-256 is {actual}, expected {expected}. {consequence}")
{
    public string Url { get; } = url;
    public string Expected { get; } = expected;
    public string Actual { get; } = actual;
}
