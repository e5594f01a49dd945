using System.IO.Compression;
using System.Security.Cryptography;
using System.Formats.Tar;
using Refilled.Engine.Data;

namespace Refilled.Engine.Tests.Data;

public class DownloadTests
{
    static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    static byte[] CifarArchive() => DataFiles.TarGz(
        ("cifar-100-binary", null),
        ("cifar-100-binary/train.bin", DataFiles.CifarRecords([3, 4], coarse: [0, 1])),
        ("cifar-100-binary/test.bin", DataFiles.CifarRecords([5], coarse: [2])));

    static DatasetSource Source(string baseUrl, byte[] archive, string file = "cifar-100-binary.tar.gz") =>
        new DatasetSource(DatasetName.Cifar100, "https://invalid.example/never-used", "cifar-100", [new DownloadFile(file, Sha(archive), true)]) with { BaseUrl = baseUrl };

    [Fact]
    public async Task DownloadsVerifiesExtractsAndLoads()
    {
        using var server = new LoopbackServer();
        using var root = new TempFolder();
        var archive = CifarArchive();
        server.Add("cifar-100-binary.tar.gz", archive);
        using var http = new HttpClient();
        var folder = await new DatasetDownloader(http).EnsureAsync(Source(server.BaseUrl, archive), root.Path);
        Assert.Equal(Path.Combine(root.Path, "cifar-100"), folder);
        var data = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Cifar100, Path = folder });
        Assert.Equal([3, 4], Enumerable.Range(0, 2).Select(data.Label));
        Assert.Empty(Directory.GetFiles(Path.Combine(root.Path, "downloads")));
        Assert.Single(Directory.GetDirectories(root.Path), d => !d.EndsWith("downloads"));
    }

    [Fact]
    public async Task MirrorOverridesTheOfficialBaseUrl()
    {
        var official = DatasetSource.Official(DatasetName.Mnist);
        var mirrored = official.WithBaseUrl("http://127.0.0.1:1/mirror/");
        Assert.Equal("http://127.0.0.1:1/mirror/train-images-idx3-ubyte.gz", mirrored.UrlOf(mirrored.Files[0]).ToString());
        Assert.All(new[] { DatasetName.Mnist, DatasetName.FashionMnist, DatasetName.Cifar100, DatasetName.Cub200 },
            n => Assert.All(DatasetSource.Official(n).Files, f => Assert.Matches("^[0-9a-f]{64}$", f.Sha256)));
        Assert.Same(official, official.WithBaseUrl(null));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task CorruptedArchiveIsAChecksumErrorAndLeavesNothing()
    {
        using var server = new LoopbackServer();
        using var root = new TempFolder();
        var archive = CifarArchive();
        var corrupted = (byte[])archive.Clone();
        corrupted[corrupted.Length / 2] ^= 0xFF;
        server.Add("cifar-100-binary.tar.gz", corrupted);
        using var http = new HttpClient();
        var e = await Assert.ThrowsAsync<ChecksumMismatchException>(() => new DatasetDownloader(http).EnsureAsync(Source(server.BaseUrl, archive), root.Path));
        Assert.Equal(Sha(archive), e.Expected);
        Assert.Equal(Sha(corrupted), e.Actual);
        Assert.Equal(["downloads"], Directory.GetDirectories(root.Path).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(Path.Combine(root.Path, "downloads")));
    }

    [Fact]
    public async Task DownloadCutOffMidwayResumesWithARangeRequest()
    {
        using var server = new LoopbackServer();
        using var root = new TempFolder();
        var archive = CifarArchive();
        server.Add("cifar-100-binary.tar.gz", archive, cutOffOnce: true);
        using var http = new HttpClient();
        var downloader = new DatasetDownloader(http);
        var source = Source(server.BaseUrl, archive);
        await Assert.ThrowsAnyAsync<Exception>(() => downloader.EnsureAsync(source, root.Path));
        var part = Path.Combine(root.Path, "downloads", "cifar-100-binary.tar.gz.part");
        Assert.True(File.Exists(part));
        var partial = new FileInfo(part).Length;
        Assert.InRange(partial, 1, archive.Length - 1);
        Assert.False(Directory.Exists(Path.Combine(root.Path, "cifar-100")));

        var folder = await downloader.EnsureAsync(source, root.Path);
        Assert.Equal($"bytes={partial}-", server.RangeHeaders.Last());
        Assert.True(File.Exists(Path.Combine(folder, "cifar-100-binary", "train.bin")));
    }

    [Theory]
    [InlineData("../evil.txt")]
    [InlineData("ok/../../evil.txt")]
    [InlineData("/tmp/evil.txt")]
    public void TarEntriesEscapingTheTargetAreRefused(string name)
    {
        using var dir = new TempFolder();
        var archive = dir.File("bad.tar.gz");
        File.WriteAllBytes(archive, DataFiles.TarGz(("fine.txt", [1]), (name, [2])));
        var target = dir.File("out/target");
        var e = Assert.Throws<UnsafeArchiveEntryException>(() => ArchiveExtractor.ExtractTo(archive, target));
        Assert.Equal(name, e.EntryName);
        Assert.False(File.Exists(dir.File("out/evil.txt")));
        Assert.False(File.Exists("/tmp/evil.txt") && File.ReadAllBytes("/tmp/evil.txt") is [2]);
    }

    [Fact]
    public void TarLinksAreRefused()
    {
        using var dir = new TempFolder();
        var archive = dir.File("link.tar");
        using (var file = File.Create(archive))
        using (var tar = new TarWriter(file, TarEntryFormat.Pax))
            tar.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "escape") { LinkName = "/etc" });
        Assert.Throws<UnsafeArchiveEntryException>(() => ArchiveExtractor.ExtractTo(archive, dir.File("out")));
        Assert.False(Path.Exists(dir.File("out/escape")));
    }

    [Theory]
    [InlineData("../evil.txt")]
    [InlineData("/abs/evil.txt")]
    public void ZipEntriesEscapingTheTargetAreRefused(string name)
    {
        using var dir = new TempFolder();
        var archive = dir.File("bad.zip");
        using (var zip = ZipFile.Open(archive, ZipArchiveMode.Create))
        using (var w = new StreamWriter(zip.CreateEntry(name).Open())) w.Write("x");
        Assert.Throws<UnsafeArchiveEntryException>(() => ArchiveExtractor.ExtractTo(archive, dir.File("out")));
        Assert.False(File.Exists(dir.File("evil.txt")));
    }

    [Fact]
    public void ZipSymlinkIsRefusedAndPlainZipExtracts()
    {
        using var dir = new TempFolder();
        var archive = dir.File("link.zip");
        using (var zip = ZipFile.Open(archive, ZipArchiveMode.Create))
        {
            using (var w = new StreamWriter(zip.CreateEntry("a/b.txt").Open())) w.Write("hello");
            var link = zip.CreateEntry("a/link");
            link.ExternalAttributes = unchecked((int)(0xA1FFu << 16));
            using var l = new StreamWriter(link.Open());
            l.Write("/etc/passwd");
        }
        Assert.Throws<UnsafeArchiveEntryException>(() => ArchiveExtractor.ExtractTo(archive, dir.File("out")));

        var good = dir.File("good.zip");
        using (var zip = ZipFile.Open(good, ZipArchiveMode.Create))
        using (var w = new StreamWriter(zip.CreateEntry("a/b.txt").Open())) w.Write("hello");
        ArchiveExtractor.ExtractTo(good, dir.File("ok"));
        Assert.Equal("hello", File.ReadAllText(dir.File("ok/a/b.txt")));
    }

    [Theory]
    [InlineData("http://host.invalid/data")] // a name that never resolves
    [InlineData("http://127.0.0.1:9/data")] // nothing listens on the discard port
    public async Task UnreachableHostSaysHowToUseAMirrorOrAManualDownload(string baseUrl)
    {
        using var root = new TempFolder();
        var archive = CifarArchive();
        using var http = new HttpClient();
        var e = await Assert.ThrowsAsync<DatasetHostUnreachableException>(() => new DatasetDownloader(http).EnsureAsync(Source(baseUrl, archive), root.Path));
        var manual = Path.Combine(root.Path, "downloads", "cifar-100-binary.tar.gz");
        Assert.Equal(manual, e.Destination);
        Assert.Equal(baseUrl + "/cifar-100-binary.tar.gz", e.Url.ToString());
        Assert.Contains($"Could not reach {new Uri(baseUrl).Authority}", e.Message);
        Assert.Contains(DatasetDownloader.MirrorVariable, e.Message);
        Assert.Contains(manual, e.Message);
        Assert.False(Directory.Exists(Path.Combine(root.Path, "cifar-100")));
    }

    [Fact]
    public async Task AManuallyDownloadedFileIsVerifiedAndUnpackedWithoutTheHost()
    {
        using var root = new TempFolder();
        var archive = CifarArchive();
        Directory.CreateDirectory(Path.Combine(root.Path, "downloads"));
        File.WriteAllBytes(Path.Combine(root.Path, "downloads", "cifar-100-binary.tar.gz"), archive);
        using var http = new HttpClient();
        var folder = await new DatasetDownloader(http).EnsureAsync(Source("http://host.invalid/data", archive), root.Path);
        Assert.Equal(2, DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Cifar100, Path = folder }).Count);
    }

    [Fact]
    public void ADatasetMissingFromTheDataRootNamesTheNextStep()
    {
        using var root = new TempFolder();
        var e = Assert.Throws<DatasetNotFoundException>(() => DatasetCatalog.ExistingDefaultFolder(DatasetName.Cifar100, root.Path));
        Assert.Equal(Path.Combine(root.Path, "cifar-100"), e.Folder);
        Assert.Contains("Save-RefilledDataset Cifar100", e.Message);
        Assert.Contains("-Path", e.Message);
        // CIFAR-10 has no download: the message does not send the user to one.
        var cifar10 = Assert.Throws<DatasetNotFoundException>(() => DatasetCatalog.ExistingDefaultFolder(DatasetName.Cifar10, root.Path));
        Assert.DoesNotContain("Save-RefilledDataset", cifar10.Message);
        Assert.Contains("-Path", cifar10.Message);
    }
}
