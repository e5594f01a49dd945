using System.Buffers.Binary;
using System.IO.Compression;
using Refilled.Engine.Data;

using Refilled.Engine.Runtime;

namespace Refilled.Engine.Tests.Data;

/// <summary>Tiny crafted files whose headers promise huge data: each is refused before the memory is spent.</summary>
public sealed class HostileDataFileTests
{
    static byte[] Words(params uint[] words)
    {
        var bytes = new byte[4 * words.Length];
        for (var i = 0; i < words.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 * i), words[i]);
        return bytes;
    }

    [Theory]
    [InlineData(65536u, 65536u, "declares more than")] // 2^32 pixels: zero as an int
    [InlineData(30000u, 30000u, "30000x30000")]
    public void IdxImagesTooLargeToHoldAreRefusedAtTheHeader(uint rows, uint cols, string problem)
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir.File("train-images-idx3-ubyte"), [.. Words(0x803, 1, rows, cols), 0]);
        File.WriteAllBytes(dir.File("train-labels-idx1-ubyte"), [.. Words(0x801, 1), 0]);
        var e = Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Mnist, Path = dir.Path }));
        Assert.Equal(-1, e.RecordIndex);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void AGzipThatInflatesPastItsHeaderIsReadOnlyAsFarAsTheHeaderSays()
    {
        using var dir = new TempFolder();
        void Gzip(string name, byte[] content, int trailingZeros)
        {
            using var file = File.Create(dir.File(name + ".gz"));
            using var z = new GZipStream(file, CompressionLevel.Fastest);
            z.Write(content);
            var zeros = new byte[1 << 20];
            for (var i = 0; i < trailingZeros >> 20; i++) z.Write(zeros);
        }
        Gzip("train-images-idx3-ubyte", [.. Words(0x803, 1, 28, 28), .. new byte[784]], 64 << 20);
        Gzip("train-labels-idx1-ubyte", [.. Words(0x801, 1), 3], 0);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var data = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Mnist, Path = dir.Path });
        Assert.Equal(1, data.Count);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "the trailing 64 MB were inflated");
    }

    [Fact]
    public void APngDeclaringThirtyThousandSquaredPixelsIsRefusedBeforeDecoding()
    {
        using var dir = new TempFolder();
        var path = dir.File("huge.png");
        byte[] ihdr = [.. "IHDR"u8, .. Words(30000, 30000), 8, 6, 0, 0, 0];
        // The first scanlines of pixel data: the decoder needs to see some before it reports the size.
        var scanlines = new MemoryStream();
        using (var z = new ZLibStream(scanlines, CompressionLevel.Fastest, leaveOpen: true)) z.Write(new byte[1000]);
        byte[] idat = [.. "IDAT"u8, .. scanlines.ToArray()];
        File.WriteAllBytes(path, [0x89, .. "PNG\r\n\x1a\n"u8, .. Words(13), .. ihdr, .. Words(Crc32(ihdr)),
            .. Words((uint)idat.Length - 4), .. idat, .. Words(Crc32(idat)),
            .. Words(0), .. "IEND"u8, .. Words(Crc32("IEND"u8.ToArray()))]);
        var e = Assert.Throws<DatasetFormatException>(() => ImageDecoder.DecodeRgb(path, 4, 32));
        Assert.Equal(4, e.RecordIndex);
        Assert.Contains("30000x30000", e.Message);
    }

    /// <summary>A valid black RGBA PNG of <paramref name="width"/> x <paramref name="height"/>.</summary>
    static byte[] Png(uint width, uint height)
    {
        byte[] ihdr = [.. "IHDR"u8, .. Words(width, height), 8, 6, 0, 0, 0];
        var scanlines = new MemoryStream();
        using (var z = new ZLibStream(scanlines, CompressionLevel.Fastest, leaveOpen: true)) z.Write(new byte[height * (1 + 4 * width)]);
        byte[] idat = [.. "IDAT"u8, .. scanlines.ToArray()];
        return [0x89, .. "PNG\r\n\x1a\n"u8, .. Words(13), .. ihdr, .. Words(Crc32(ihdr)),
            .. Words((uint)idat.Length - 4), .. idat, .. Words(Crc32(idat)),
            .. Words(0), .. "IEND"u8, .. Words(Crc32("IEND"u8.ToArray()))];
    }

    [Fact]
    public void AFourThousandByOnePngIsRefusedBeforeItIsResizedToAMillionColumns()
    {
        using var dir = new TempFolder();
        var path = dir.File("wide.png");
        File.WriteAllBytes(path, Png(4000, 1));
        Assert.True(new FileInfo(path).Length < 1000);
        DatasetFormatException? e = null;
        var growth = Tests.Runtime.PeakMemory.GrowthOf(() => e = Assert.Throws<DatasetFormatException>(() => ImageDecoder.DecodeRgb(path, 0, 256)));
        Assert.Contains("4000x1 pixels, its longer side more than 16 times its shorter", e!.Message);
        Assert.True(growth < 32 << 20, $"peak memory grew by {growth:N0} bytes");
        var square = dir.File("square.png");
        File.WriteAllBytes(square, Png(16, 1));
        Assert.Equal((256, 4096), (ImageDecoder.DecodeRgb(square, 0, 256).Height, ImageDecoder.DecodeRgb(square, 0, 256).Width));
    }

    static TempFolder ImageFolderWithTwoClasses()
    {
        var dir = new TempFolder();
        foreach (var c in new[] { "a", "b" })
        {
            Directory.CreateDirectory(dir.File(c));
            File.WriteAllBytes(Path.Combine(dir.File(c), "x.png"), Png(2, 2));
        }
        return dir;
    }

    [Fact]
    public async Task AFifoNamedLikeAnImageIsSkippedWithAWarningInsteadOfBlockingTheReader()
    {
        using var dir = ImageFolderWithTwoClasses();
        var fifo = Path.Combine(dir.File("b"), "y.png");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
        var warnings = new List<string>();
        var load = Task.Run(() => DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.ImageFolder, Path = dir.Path }, warnings.Add));
        Assert.True(await Task.WhenAny(load, Task.Delay(TimeSpan.FromSeconds(20))) == load, "the reader blocked on the FIFO");
        Assert.Equal(2, (await load).Count);
        Assert.Contains($"Skipping '{fifo}': not a regular file", Assert.Single(warnings));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ALinkThatLeavesTheDatasetFolderIsRefused(bool classFolder)
    {
        using var dir = ImageFolderWithTwoClasses();
        using var outside = new TempFolder();
        File.WriteAllBytes(outside.File("secret.png"), Png(2, 2));
        var link = classFolder ? dir.File("c") : Path.Combine(dir.File("b"), "z.png");
        if (classFolder) Directory.CreateSymbolicLink(link, outside.Path);
        else File.CreateSymbolicLink(link, outside.File("secret.png"));
        var e = Assert.Throws<UnsafePathException>(() => DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.ImageFolder, Path = dir.Path }));
        Assert.Equal(link, e.Path);
        Assert.Contains("leads out of the dataset folder", e.Message);
    }

    [Fact]
    public void ALinkInsideTheDatasetFolderIsRead()
    {
        using var dir = ImageFolderWithTwoClasses();
        File.CreateSymbolicLink(Path.Combine(dir.File("b"), "again.png"), Path.Combine(dir.File("a"), "x.png"));
        Assert.Equal(3, DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.ImageFolder, Path = dir.Path }).Count);
    }

    static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return ~crc;
    }
}
