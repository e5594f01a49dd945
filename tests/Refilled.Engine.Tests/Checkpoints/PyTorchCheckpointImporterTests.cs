using System.IO.Compression;
using System.Text;
using Refilled.Engine.Checkpoints;
using Refilled.Engine.Networks;
using Refilled.Engine.Tests.Networks;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Checkpoints;

public sealed class PyTorchCheckpointImporterTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("refilled-import-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static GoldenNetCase Golden => GoldenNetCase.All()[0];

    [Fact]
    public void DataParallelPrefixIsAccepted()
    {
        var golden = Golden;
        using var net = PyTorchCheckpointImporter.Load(golden.StateDictFile, golden.Spec, imageSize: golden.ImageSize);
        var prefixed = net.state_dict().ToDictionary(kv => "module." + kv.Key, kv => kv.Value);
        var path = Path.Combine(dir, "dataparallel.pt");
        PyTorchPickler.PickleStateDict(path, prefixed);

        using var loaded = PyTorchCheckpointImporter.Load(path, golden.Spec, imageSize: golden.ImageSize);
        AssertReproduces(golden, loaded);
    }

    [Fact]
    public void SafetensorsAreRead()
    {
        var golden = Golden;
        using var net = PyTorchCheckpointImporter.Load(golden.ModelFile, golden.Spec, imageSize: golden.ImageSize);
        var path = Path.Combine(dir, "net.safetensors");
        net.save_safetensors(path);

        using var loaded = PyTorchCheckpointImporter.Load(path, golden.Spec, imageSize: golden.ImageSize);
        Assert.Equal(golden.NumClasses, loaded.NumClasses);
        AssertReproduces(golden, loaded);
        Assert.Equal(3L, loaded.state_dict().First(kv => kv.Key.EndsWith("num_batches_tracked")).Value.item<long>());
    }

    /// <summary>A fresh network of <paramref name="spec"/> saved as a PyTorch state-dict file.</summary>
    string FreshPyTorchFile(NetworkSpec spec, int numClasses = 10)
    {
        using var net = spec.Create(numClasses);
        var path = Path.Combine(dir, $"{spec}.pt");
        PyTorchPickler.PickleStateDict(path, net.state_dict());
        return path;
    }

    [Fact]
    public void WrongSpecGetsAnErrorNamingTheKeyAndBothShapes()
    {
        var path = FreshPyTorchFile(NetworkSpec.WideResNet(16, 2));
        var e = Assert.Throws<ArchitectureMismatchException>(() => PyTorchCheckpointImporter.Load(path, NetworkSpec.WideResNet(16, 1)));
        Assert.Equal("layer1.0.conv1.weight", e.Key);
        Assert.Equal(new long[] { 16, 16, 3, 3 }, e.ExpectedShape);
        Assert.Equal(new long[] { 32, 16, 3, 3 }, e.ActualShape);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void OtherFamilyGetsAMissingKeyError()
    {
        var path = FreshPyTorchFile(NetworkSpec.Parse("resnet-20"));
        var e = Assert.Throws<ArchitectureMismatchException>(() => PyTorchCheckpointImporter.Load(path, NetworkSpec.Parse("wrn-16-1")));
        Assert.Contains(e.Key, e.Message);
    }

    [Fact]
    public void ExplicitClassCountIsCheckedAgainstTheFile()
    {
        var spec = NetworkSpec.Parse("resnet-20");
        var path = FreshPyTorchFile(spec, numClasses: 10);
        var e = Assert.Throws<ArchitectureMismatchException>(() => PyTorchCheckpointImporter.Load(path, spec, 11));
        Assert.Equal("fc.weight", e.Key);
    }

    [Fact]
    public void MissingFileIsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => PyTorchCheckpointImporter.Load(Path.Combine(dir, "absent.pt"), NetworkSpec.SmallCnn));

    [Fact]
    public void TruncatedTorchFileGetsAFormatError()
    {
        var spec = NetworkSpec.Parse("resnet-20");
        var bytes = File.ReadAllBytes(FreshPyTorchFile(spec));
        var path = Path.Combine(dir, "truncated.pt");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var e = Assert.ThrowsAny<CheckpointFormatException>(() => PyTorchCheckpointImporter.Load(path, spec));
        Assert.Contains(path, e.Message);
    }

    // GLOBAL 'os system' applied to a shell command: protocol 2, as torch.save writes.
    static byte[] GlobalPickle(string marker) => Pickle(p =>
    {
        p.Write([0x80, 0x02]);
        p.Write(Encoding.ASCII.GetBytes("cos\nsystem\nq\x00"));
        BinUnicode(p, $"touch {marker}");
        p.Write([0x85, (byte)'R', (byte)'.']);
    });

    // STACK_GLOBAL with module and name pushed as strings: protocol 4.
    static byte[] StackGlobalPickle(string marker) => Pickle(p =>
    {
        p.Write([0x80, 0x04]);
        p.Write([0x8c, 2]); p.Write("os"u8); p.WriteByte(0x94);
        p.Write([0x8c, 6]); p.Write("system"u8); p.WriteByte(0x94);
        p.WriteByte(0x93);
        BinUnicode(p, $"touch {marker}");
        p.Write([0x85, (byte)'R', (byte)'.']);
    });

    static byte[] Pickle(Action<MemoryStream> write)
    {
        var stream = new MemoryStream();
        write(stream);
        return stream.ToArray();
    }

    static void BinUnicode(MemoryStream p, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        p.WriteByte((byte)'X');
        p.Write(BitConverter.GetBytes(bytes.Length));
        p.Write(bytes);
    }

    string TorchZip(string stem, byte[] pickle)
    {
        var path = Path.Combine(dir, stem + ".pt");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using (var s = zip.CreateEntry($"{stem}/data.pkl", CompressionLevel.NoCompression).Open()) s.Write(pickle);
        using (var s = zip.CreateEntry($"{stem}/version", CompressionLevel.NoCompression).Open()) s.Write("3\n"u8);
        return path;
    }

    [Fact]
    public void PickleNamingOsSystemIsRefusedInATorchZip()
    {
        var marker = Path.Combine(dir, "pwned");
        var path = TorchZip("evil", GlobalPickle(marker));
        var e = Assert.Throws<UnsafePickleException>(() => PyTorchCheckpointImporter.Load(path, NetworkSpec.SmallCnn, 10));
        Assert.Equal("os.system", e.Global);
        Assert.Contains("os.system", e.Message);
        Assert.Contains(path, e.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void StackGlobalNamingOsSystemIsRefused()
    {
        var marker = Path.Combine(dir, "pwned");
        var path = TorchZip("evil4", StackGlobalPickle(marker));
        var e = Assert.Throws<UnsafePickleException>(() => PyTorchCheckpointImporter.Load(path, NetworkSpec.SmallCnn, 10));
        Assert.Equal("os.system", e.Global);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void RawPickleNamingOsSystemIsRefused()
    {
        var marker = Path.Combine(dir, "pwned");
        var path = Path.Combine(dir, "legacy.pt");
        File.WriteAllBytes(path, GlobalPickle(marker));
        var e = Assert.Throws<UnsafePickleException>(() => PyTorchCheckpointImporter.Load(path, NetworkSpec.SmallCnn, 10));
        Assert.Equal("os.system", e.Global);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void EveryGoldenPickleUsesOnlyAllowedGlobals()
    {
        foreach (var golden in GoldenNetCase.All())
        {
            foreach (var file in new[] { golden.ModelFile, golden.StateDictFile })
            {
                using var zip = ZipFile.OpenRead(file);
                var entry = zip.Entries.Single(e => e.Name == "data.pkl");
                using var buffer = new MemoryStream();
                using (var s = entry.Open()) s.CopyTo(buffer);
                PickleGlobalScanner.EnsureSafe(buffer.ToArray(), file);
            }
        }
    }

    static void AssertReproduces(GoldenNetCase golden, RefilledNetwork net)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (logits, embedding) = net.ForwardBoth(golden.Input());
        GoldenNetTests.AssertClose(golden.Expected("logits_f32"), logits, "logits");
        GoldenNetTests.AssertClose(golden.Expected("embedding_f32"), embedding, "embedding");
    }
}
