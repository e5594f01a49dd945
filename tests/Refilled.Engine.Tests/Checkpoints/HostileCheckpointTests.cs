using System.IO.Compression;
using Refilled.Engine.Checkpoints;
using Refilled.Engine.Networks;

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

    [Fact]
    public void SafetensorsDataOffsetsPastTheFileAreRefused()
    {
        var header = "{\"fc.weight\":{\"dtype\":\"F32\",\"shape\":[500000000],\"data_offsets\":[0,2000000000]}}"u8.ToArray();
        var path = Path.Combine(dir, "huge-tensor.safetensors");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)header.Length), .. header, 0, 0, 0, 0]);
        var e = Assert.Throws<CheckpointFormatException>(() => PyTorchCheckpointImporter.Load(path, NetworkSpec.SmallCnn, 10));
        Assert.Contains("data_offsets", e.Message);
    }

    string OwnCheckpointClaiming(Func<string, string> edit)
    {
        using var net = NetworkSpec.SmallCnnOfWidth(2).Create(3);
        var path = Path.Combine(dir, Guid.NewGuid().ToString("N") + ".refilled");
        ModelCheckpoint.Save(net, CheckpointMetadata.Describe(net), path);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry("metadata.json")!;
        string json;
        using (var reader = new StreamReader(entry.Open())) json = reader.ReadToEnd();
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry("metadata.json").Open());
        writer.Write(edit(json));
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
}
