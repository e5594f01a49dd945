using System.IO.Compression;
using Refilled.Engine.Checkpoints;
using System.Security.Cryptography;
using System.Text;
using Refilled.Engine.Networks;
using Refilled.Engine.Tests.Runtime;
using TorchSharp.PyBridge;

namespace Refilled.Engine.Tests.Checkpoints;

/// <summary>Crafted checkpoints, as an attacker would send them: each must be refused before it costs memory or runs code.</summary>
public sealed class HostileCheckpointTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("refilled-hostile-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // GLOBAL os system, then REDUCE: what pickle.loads would run as a shell command.
    static readonly byte[] OsSystemPickle = [0x80, 0x02, .. "cos\nsystem\n"u8, (byte)'X', 4, 0, 0, 0, .. "true"u8, 0x85, (byte)'R', (byte)'.'];

    // An empty dict: harmless.
    static readonly byte[] EmptyDictPickle = [0x80, 0x02, (byte)'}', (byte)'q', 0, (byte)'.'];

    string Zip(string name, params (string Entry, byte[] Content, CompressionLevel Level)[] entries)
    {
        var path = Path.Combine(dir, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entry, content, level) in entries)
            using (var s = zip.CreateEntry(entry, level).Open()) s.Write(content);
        return path;
    }

    [Fact]
    public void AnUnscannedPickleBeforeTheScannedOneIsRefused()
    {
        // PyBridge unpickles the first entry whose name ends in data.pkl: xdata.pkl.
        var path = Zip("two-pickles.pt",
            ("archive/xdata.pkl", OsSystemPickle, CompressionLevel.NoCompression),
            ("archive/data.pkl", EmptyDictPickle, CompressionLevel.NoCompression));
        var e = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointImporter.Load(path, NetworkSpec.SmallCnn, 10));
        Assert.Contains("2 entries that could be its pickle", e.Message);
        Assert.Contains("archive/xdata.pkl", e.Message);
        Assert.Equal(path, e.Path);
    }

    [Fact]
    public void ABackslashNameIsRefused()
    {
        var path = Zip("backslash.pt",
            ("archive\\data.pkl", OsSystemPickle, CompressionLevel.NoCompression),
            ("archive/version", "3\n"u8.ToArray(), CompressionLevel.NoCompression));
        var e = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointImporter.Load(path, NetworkSpec.SmallCnn, 10));
        Assert.Contains("backslash", e.Message);
    }

    [Fact]
    public void APickleThatInflatesPastTheLimitIsRefusedUnread()
    {
        // 17 MB of EMPTY_TUPLE deflates to a few KB.
        var pickle = new byte[PyTorchCheckpointImporter.MaxPickleBytes + (1 << 20)];
        pickle.AsSpan().Fill((byte)')');
        var path = Zip("bomb.pt", ("archive/data.pkl", pickle, CompressionLevel.SmallestSize));
        Assert.True(new FileInfo(path).Length < 1 << 20);
        var e = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointImporter.Load(path, NetworkSpec.SmallCnn, 10));
        Assert.Contains("declares", e.Message);
    }

    [Fact]
    public void ScanningManyPushesCostsNoMemoryPerOpcode()
    {
        var pickle = new byte[8 << 20];
        pickle.AsSpan().Fill((byte)')');
        pickle[^1] = (byte)'.';
        var before = GC.GetAllocatedBytesForCurrentThread();
        PickleGlobalScanner.EnsureSafe(pickle, "many-tuples.pkl");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "the scanner allocated per opcode");
    }

    [Fact]
    public void TooManyMemoSlotsAreRefused()
    {
        var pickle = new byte[2 * (1 << 20) + 4];
        for (var i = 0; i < pickle.Length - 1; i += 2) (pickle[i], pickle[i + 1]) = ((byte)')', 0x94);
        pickle[^1] = (byte)'.';
        var e = Assert.Throws<CheckpointFormatException>(() => PickleGlobalScanner.EnsureSafe(pickle, "memo.pkl"));
        Assert.Contains("memo slots", e.Message);
    }

    [Fact]
    public void ASafetensorsHeaderLargerThanTheFileIsRefused()
    {
        var path = Path.Combine(dir, "huge-header.safetensors");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)int.MaxValue - 16), .. "{}"u8]);
        var e = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointImporter.Load(path, NetworkSpec.SmallCnn, 10));
        Assert.Contains("header declares", e.Message);
    }

    /// <summary>A .safetensors file of <paramref name="header"/> and <paramref name="dataBytes"/> zero bytes of data.</summary>
    string Safetensors(string stem, byte[] header, int dataBytes)
    {
        var path = Path.Combine(dir, stem + ".safetensors");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)header.Length), .. header, .. new byte[dataBytes]]);
        return path;
    }

    [Fact]
    public void SafetensorsDataOffsetsPastTheFileAreRefused()
    {
        var header = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[500000000],\"data_offsets\":[0,2000000000]}}"u8.ToArray();
        var path = Safetensors("huge-tensor", header, 4);
        var e = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointImporter.Load(path, NetworkSpec.SmallCnn, 10));
        Assert.Contains("data_offsets", e.Message);
    }

    /// <summary>Replaces a zip entry with <paramref name="content"/>, stored as Refilled and torch.save store entries.</summary>
    static void Replace(ZipArchive zip, string name, byte[] content)
    {
        zip.GetEntry(name)!.Delete();
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(content);
    }

    string OwnCheckpointClaiming(Func<string, string> edit)
    {
        using var net = NetworkSpec.SmallCnnOfWidth(2).Create(3);
        var path = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".refilled");
        ModelCheckpoint.Save(net, CheckpointMetadata.Describe(net), path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        string json;
        using (var reader = new StreamReader(zip.GetEntry("metadata.json")!.Open())) json = reader.ReadToEnd();
        Replace(zip, "metadata.json", Encoding.UTF8.GetBytes(edit(json)));
        return path;
    }

    [Fact]
    public void AnAbsurdArchitectureInTheMetadataIsRefusedBeforeBuilding()
    {
        var path = OwnCheckpointClaiming(json => json.Replace("\"smallcnn-2\"", "\"wrn-600004-1000\""));
        var e = Assert.Throws<CheckpointFormatException>(() => ModelCheckpoint.Load(path));
        Assert.Contains("at most", e.Message);
    }

    [Fact]
    public void AnAbsurdClassCountInTheMetadataIsRefusedBeforeBuilding()
    {
        var path = OwnCheckpointClaiming(json => json.Replace("\"numClasses\": 3", "\"numClasses\": 2000000000"));
        var e = Assert.Throws<CheckpointFormatException>(() => ModelCheckpoint.Load(path));
        Assert.Contains("2000000000 classes", e.Message);
    }

    // Issue 25: files whose declared sizes would cost far more memory than their own size.

    [Fact]
    public void DeflatedTensorEntriesThatInflatePastTheFileAreRefusedBeforeInflating()
    {
        var path = Zip("deflated.pt",
            ("archive/data.pkl", EmptyDictPickle, CompressionLevel.NoCompression),
            ("archive/data/0", new byte[64 << 20], CompressionLevel.Fastest),
            ("archive/data/1", new byte[64 << 20], CompressionLevel.Fastest));
        Assert.True(new FileInfo(path).Length < 2 << 20);
        CheckpointFormatException? e = null;
        var growth = PeakMemory.GrowthOf(() => e = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointImporter.Load(path, NetworkSpec.SmallCnn, 10)));
        Assert.Contains($"inflate to {(128L << 20) + EmptyDictPickle.Length:N0} bytes", e!.Message);
        Assert.True(growth < 32 << 20, $"peak memory grew by {growth:N0} bytes");
    }

    [Fact]
    public void TensorsThatClaimMoreThanTheirStorageAreRefusedBeforeAllocating()
    {
        using var net = NetworkSpec.SmallCnnOfWidth(2).Create(3);
        var path = Path.Combine(dir, "short-storage.pt");
        PyTorchPickler.PickleStateDict(path, net.state_dict());
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
            foreach (var entry in zip.Entries.Where(e => e.FullName.Contains("/data/")).ToList())
                Replace(zip, entry.FullName, new byte[4]);
        var e = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointImporter.Load(path, NetworkSpec.SmallCnnOfWidth(2), 3));
        Assert.Contains("' of shape [", e.Message);
        Assert.EndsWith("bytes into a storage of 4", e.Message);
    }

    [Fact]
    public void SafetensorsWhoseTensorsShareTheirBytesAreRefused()
    {
        var entries = string.Join(",", Enumerable.Range(0, 8).Select(i => $"\"t{i}\":{{\"dtype\":\"F32\",\"shape\":[1024],\"data_offsets\":[0,4096]}}"));
        var path = Safetensors("overlap", Encoding.UTF8.GetBytes("{" + entries + "}"), 4096);
        var e = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointImporter.Load(path, NetworkSpec.SmallCnn, 10));
        Assert.Contains("share data bytes", e.Message);
    }

    [Fact]
    public void ASafetensorsShapeLargerThanItsBytesIsRefused()
    {
        var header = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[1000000,1000],\"data_offsets\":[0,4]}}"u8.ToArray();
        var path = Safetensors("big-shape", header, 4);
        var e = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointImporter.Load(path, NetworkSpec.SmallCnn));
        Assert.Contains("declares shape [1000000, 1000]", e.Message);
    }

    /// <summary>An own-format checkpoint of smallcnn-2 whose weights.bin is replaced (with a matching hash).</summary>
    string OwnCheckpointWithWeights(byte[] weights)
    {
        var path = OwnCheckpointClaiming(json => json);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        Replace(zip, "weights.bin", weights);
        Replace(zip, "weights.sha256", Encoding.ASCII.GetBytes(Convert.ToHexString(SHA256.HashData(weights))));
        return path;
    }

    [Fact]
    public void AnOwnFormatTensorOfShapeTwoToTheFortyIsACorruptCheckpointNotALibtorchError()
    {
        // One entry, "fc.weight": float32 (6), rank 1, 2^40 elements in LEB128, then 4 bytes.
        byte[] weights = [1, 9, .. "fc.weight"u8, 6, 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0, 0, 0, 0];
        var path = OwnCheckpointWithWeights(weights);
        var e = Assert.Throws<CheckpointFormatException>(() => ModelCheckpoint.Load(path));
        Assert.Contains("tensor 'fc.weight' of shape [1099511627776] declares 4,398,046,511,104 bytes; 4 are left", e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Fact]
    public void AHugeArchitectureThatItsWeightsDoNotFillIsRefusedBeforeItIsBuilt()
    {
        var classes = string.Join(", ", Enumerable.Range(0, ModelCheckpoint.MaxClasses));
        var path = OwnCheckpointClaiming(json => System.Text.RegularExpressions.Regex.Replace(
            json.Replace("\"smallcnn-2\"", "\"smallcnn-1024\"").Replace("\"numClasses\": 3", $"\"numClasses\": {ModelCheckpoint.MaxClasses}"),
            @"""classes"": \[[^\]]*\]", $"\"classes\": [{classes}]"));
        ArchitectureMismatchException? e = null;
        var growth = PeakMemory.GrowthOf(() => e = Assert.Throws<ArchitectureMismatchException>(() => ModelCheckpoint.Load(path)));
        Assert.Equal("smallcnn-1024", e!.Architecture);
        Assert.True(growth < 64 << 20, $"peak memory grew by {growth:N0} bytes");
    }
}
