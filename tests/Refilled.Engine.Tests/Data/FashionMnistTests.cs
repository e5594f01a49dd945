using System.IO.Compression;
using System.Security.Cryptography;
using Refilled.Engine.Data;

namespace Refilled.Engine.Tests.Data;

public class FashionMnistTests
{
    static readonly string[] Names = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];

    /// <summary>Gzipped IDX files as the official host names them, and a source whose hashes are of their content.</summary>
    static DatasetSource OfficialLike(string folder)
    {
        DataFiles.Idx(folder, "train", [0, 5, 9, 7, 5], gzip: true);
        DataFiles.Idx(folder, "t10k", [6, 8], gzip: true);
        return DatasetSource.Official(DatasetName.FashionMnist) with
        {
            BaseUrl = "http://host.invalid/never-used",
            Files = [.. Names.Select(n => new DownloadFile(n, ContentSha(Path.Combine(folder, n)), false, true))],
        };
    }

    static string ContentSha(string gz)
    {
        using var content = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress);
        return Convert.ToHexStringLower(SHA256.HashData(content));
    }

    /// <summary>Rewrites a .gz with another compression level: other bytes, the same content (what Debian's package does).</summary>
    static void Recompress(string gz)
    {
        using var input = new MemoryStream();
        using (var content = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress)) content.CopyTo(input);
        using var output = new GZipStream(File.Create(gz), CompressionLevel.SmallestSize);
        output.Write(input.ToArray());
    }

    [Fact]
    public void ReadsTheIdxFilesWithTheClothingNames()
    {
        using var dir = new TempFolder();
        OfficialLike(dir.Path);
        var train = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.FashionMnist, Path = dir.Path, Classes = [5, 7, 9] });
        Assert.Equal(["Sandal", "Sneaker", "Ankle boot"], train.ClassNames);
        Assert.Equal([0, 2, 1, 0], Enumerable.Range(0, 4).Select(train.Label));
        Assert.Equal(DataFiles.Pixel(1, 300), train.Image(0).Pixels.Span[300]);
        var test = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.FashionMnist, Path = dir.Path, Split = DatasetSplit.Test });
        Assert.Equal(10, test.ClassNames!.Count);
        Assert.Equal("T-shirt/top", test.ClassNames[0]);
        Assert.Equal([6, 8], Enumerable.Range(0, 2).Select(test.Label));
    }

    [Fact]
    public async Task RecompressedOfficialFilesVerifyByContentAndStayWhereTheyAre()
    {
        using var source = new TempFolder();
        using var root = new TempFolder();
        var official = OfficialLike(source.Path);
        var before = File.ReadAllBytes(source.File(Names[0]));
        foreach (var name in Names) Recompress(source.File(name));
        Assert.NotEqual(before, File.ReadAllBytes(source.File(Names[0])));

        var folder = await DatasetDownloader.ImportAsync(official, source.Path, root.Path);
        Assert.Equal(Path.Combine(root.Path, "fashion-mnist"), folder);
        Assert.All(Names, n => Assert.True(File.Exists(source.File(n))));
        Assert.Equal(5, DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.FashionMnist, Path = folder }).Count);
    }

    [Fact]
    public async Task AnAlteredFileIsAChecksumErrorAndNothingIsCopied()
    {
        using var source = new TempFolder();
        using var root = new TempFolder();
        var official = OfficialLike(source.Path);
        var labels = source.File("t10k-labels-idx1-ubyte.gz");
        using (var output = new GZipStream(File.Create(labels), CompressionLevel.Fastest)) output.Write([0, 0, 8, 1, 0, 0, 0, 2, 6, 9]);

        var e = await Assert.ThrowsAsync<ChecksumMismatchException>(() => DatasetDownloader.ImportAsync(official, source.Path, root.Path));
        Assert.Equal(labels, e.Url);
        Assert.Equal(official.Files[3].Sha256, e.Expected);
        Assert.Equal(ContentSha(labels), e.Actual);
        Assert.Empty(Directory.GetFileSystemEntries(root.Path));
    }

    [Fact]
    public async Task AFileThatIsNotGzipOrIsMissingIsNamed()
    {
        using var source = new TempFolder();
        using var root = new TempFolder();
        var official = OfficialLike(source.Path);
        File.WriteAllBytes(source.File(Names[1]), [1, 2, 3]);
        var notGzip = await Assert.ThrowsAsync<DatasetFormatException>(() => DatasetDownloader.ImportAsync(official, source.Path, root.Path));
        Assert.Equal(source.File(Names[1]), notGzip.FilePath);

        File.Delete(source.File(Names[1]));
        var missing = await Assert.ThrowsAsync<FileNotFoundException>(() => DatasetDownloader.ImportAsync(official, source.Path, root.Path));
        Assert.Equal(source.File(Names[1]), missing.FileName);
        Assert.Empty(Directory.GetFileSystemEntries(root.Path));
    }

    [Fact]
    public async Task ADownloadVerifiesTheDecompressedContent()
    {
        using var source = new TempFolder();
        using var root = new TempFolder();
        using var server = new LoopbackServer();
        var official = OfficialLike(source.Path);
        foreach (var name in Names) server.Add(name, File.ReadAllBytes(source.File(name)));
        using var http = new HttpClient();
        var folder = await new DatasetDownloader(http).EnsureAsync(official with { BaseUrl = server.BaseUrl }, root.Path);
        Assert.Equal(2, DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.FashionMnist, Path = folder, Split = DatasetSplit.Test }).Count);
        Assert.Empty(Directory.GetFiles(Path.Combine(root.Path, "downloads")));
    }
}
