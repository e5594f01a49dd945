using System.IO.Compression;
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
            files.Add((file, await DownloadFileAsync(source.UrlOf(file), Path.Combine(downloads, file.FileName), file, cancel)));
        Assemble(files, root, target, source.Folder);
        foreach (var (_, path) in files) File.Delete(path);
        return target;
    }

    /// <summary>
    /// Builds &lt;root&gt;/&lt;folder&gt; from the official files the user already has in <paramref name="sourceFolder"/>
    /// (a Debian package, a copy from another machine): each is verified like a download and left where it is.
    /// </summary>
    public static async Task<string> ImportAsync(DatasetSource source, string sourceFolder, string root, CancellationToken cancel = default)
    {
        var target = Path.Combine(root, source.Folder);
        if (Directory.Exists(target)) return target;
        var files = new List<(DownloadFile File, string Path)>();
        foreach (var file in source.Files)
        {
            var path = Path.Combine(sourceFolder, file.FileName);
            if (!File.Exists(path))
                throw new FileNotFoundException($"'{sourceFolder}' has no {file.FileName}; {source.Dataset} needs " +
                    $"{string.Join(", ", source.Files.Select(f => f.FileName))}.", path);
            var actual = await Sha256Of(path, file, cancel);
            if (!string.Equals(actual, file.Sha256, StringComparison.OrdinalIgnoreCase))
                throw new ChecksumMismatchException(path, file.Sha256, actual, "It is not the official file; nothing was copied.");
            files.Add((file, path));
        }
        Directory.CreateDirectory(root);
        Assemble(files, root, target, source.Folder);
        return target;
    }

    /// <summary>Copies or extracts verified files into a temporary folder and renames it to <paramref name="target"/>.</summary>
    static void Assemble(IEnumerable<(DownloadFile File, string Path)> files, string root, string target, string folderName)
    {
        var temp = Path.Combine(root, $".{folderName}.tmp-{Guid.NewGuid():N}");
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
    }

    /// <summary>
    /// Downloads <paramref name="url"/> to <paramref name="destination"/>, resuming a previous <c>.part</c>. A file
    /// whose SHA-256 differs is deleted and reported with <see cref="ChecksumMismatchException"/>.
    /// </summary>
    public async Task<string> DownloadFileAsync(Uri url, string destination, DownloadFile file, CancellationToken cancel = default)
    {
        var sha256 = file.Sha256;
        if (File.Exists(destination) && await Sha256Of(destination, file, cancel) == sha256) return destination;
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

        string actual;
        try
        {
            actual = await Sha256Of(part, file, cancel);
        }
        catch (DatasetFormatException)
        {
            File.Delete(part); // not gzip at all: as useless as a wrong checksum
            throw;
        }
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

    /// <summary>The SHA-256 of the file's bytes, or of its gunzipped content when the source publishes that.</summary>
    static async Task<string> Sha256Of(string path, DownloadFile file, CancellationToken cancel)
    {
        await using var stream = File.OpenRead(path);
        if (!file.Sha256OfDecompressed) return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancel));
        try
        {
            await using var content = new GZipStream(stream, CompressionMode.Decompress);
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(content, cancel));
        }
        catch (InvalidDataException e)
        {
            throw new DatasetFormatException(path, -1, "not a gzip file: " + e.Message, e);
        }
    }
}
