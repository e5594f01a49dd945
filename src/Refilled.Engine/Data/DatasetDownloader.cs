using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Refilled.Engine.Data;

/// <summary>
/// Downloads datasets resumably and atomically: bytes go to &lt;file&gt;.part (continued with an HTTP Range request
/// after an interruption), the SHA-256 is verified, archives are extracted into a temporary folder, and only a
/// complete, verified result is renamed into place.
/// </summary>
public sealed class DatasetDownloader(HttpClient http)
{
    /// <summary>Environment variable naming a mirror base URL used instead of the official one.</summary>
    public const string MirrorVariable = "REFILLED_DATA_MIRROR";

    /// <summary>Downloads an official dataset into &lt;root&gt;/&lt;folder&gt; unless it is already there; returns that folder.</summary>
    public Task<string> EnsureAsync(DatasetName name, string root, string? mirror = null, CancellationToken cancel = default) =>
        EnsureAsync(DatasetSource.Official(name).WithBaseUrl(mirror ?? Environment.GetEnvironmentVariable(MirrorVariable)), root, cancel);

    public async Task<string> EnsureAsync(DatasetSource source, string root, CancellationToken cancel = default)
    {
        var target = Path.Combine(root, source.Folder);
        if (Directory.Exists(target)) return target;
        var downloads = Path.Combine(root, "downloads");
        Directory.CreateDirectory(downloads);

        var files = new List<(DownloadFile File, string Path)>();
        foreach (var file in source.Files)
            files.Add((file, await DownloadFileAsync(source.UrlOf(file), Path.Combine(downloads, file.FileName), file.Sha256, cancel)));

        var temp = Path.Combine(root, $".{source.Folder}.tmp-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(temp);
            foreach (var (file, path) in files)
            {
                if (file.IsArchive) ArchiveExtractor.ExtractTo(path, temp);
                else File.Copy(path, Path.Combine(temp, file.FileName));
            }
            Directory.Move(temp, target);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
        foreach (var (_, path) in files) File.Delete(path);
        return target;
    }

    /// <summary>
    /// Downloads <paramref name="url"/> to <paramref name="destination"/>, resuming a previous <c>.part</c>. A file
    /// whose SHA-256 differs is deleted and reported with <see cref="ChecksumMismatchException"/>.
    /// </summary>
    public async Task<string> DownloadFileAsync(Uri url, string destination, string sha256, CancellationToken cancel = default)
    {
        if (File.Exists(destination) && await Sha256Of(destination, cancel) == sha256) return destination;
        var part = destination + ".part";
        var have = File.Exists(part) ? new FileInfo(part).Length : 0;

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        using var response = await SendAsync(request, destination, cancel);
        // 416: the .part already holds the whole file; verify it as it is.
        if (response.StatusCode != HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            if (!response.IsSuccessStatusCode)
                throw new HttpRequestException($"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
            // A server that ignores Range (200) or resumes elsewhere sends the file from the start.
            var resume = have > 0 && response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == have;
            await using var output = new FileStream(part, resume ? FileMode.Append : FileMode.Create, FileAccess.Write);
            await using var body = await response.Content.ReadAsStreamAsync(cancel);
            await body.CopyToAsync(output, cancel);
        }

        var actual = await Sha256Of(part, cancel);
        if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(part);
            throw new ChecksumMismatchException(url.ToString(), sha256, actual);
        }
        File.Move(part, destination, overwrite: true);
        return destination;
    }

    async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string destination, CancellationToken cancel)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel);
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError)
        {
            throw new DatasetHostUnreachableException(request.RequestUri!, destination, e);
        }
    }

    static async Task<string> Sha256Of(string path, CancellationToken cancel)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancel));
    }
}
