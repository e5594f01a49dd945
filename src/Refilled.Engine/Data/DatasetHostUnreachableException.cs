namespace Refilled.Engine.Data;

/// <summary>
/// The dataset host could not be reached (name not resolved, connection refused): nothing was downloaded. The file
/// can come from a mirror, or be downloaded by hand to <see cref="Destination"/>, where the next run verifies it.
/// </summary>
public sealed class DatasetHostUnreachableException(Uri url, string destination, HttpRequestException inner)
    : IOException(
        $"Could not reach {url.Authority} ({inner.Message}), so {System.IO.Path.GetFileName(destination)} was not downloaded. " +
        $"Use a mirror that serves the same files (set {DatasetDownloader.MirrorVariable} to its base URL), or download {url} " +
        $"yourself and put it at {destination}: the next run verifies its SHA-256 and unpacks it.", inner)
{
    public Uri Url { get; } = url;

    /// <summary>Where a manually downloaded copy of the file is picked up.</summary>
    public string Destination { get; } = destination;

    public string Reason => InnerException!.Message;
}
