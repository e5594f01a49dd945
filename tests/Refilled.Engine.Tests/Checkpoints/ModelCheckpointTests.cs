using Refilled.Engine.Checkpoints;
using Refilled.Engine.Networks;
using Refilled.Engine.Tests.Networks;
using System.IO.Compression;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Checkpoints;

public sealed class ModelCheckpointTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("refilled-ckpt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static RefilledNetwork TrainedLooking(string spec, int classes, int seed)
    {
        manual_seed(seed);
        var net = NetworkSpec.Parse(spec).Create(classes);
        // A few train-mode passes give non-default running statistics and num_batches_tracked.
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            net.train();
            for (var i = 0; i < 2; i++) net.call(randn([4, .. net.InputShape]));
        }
        net.eval();
        return net;
    }

    static CheckpointMetadata MetadataFor(RefilledNetwork net) 
    {
        var meta = CheckpointMetadata.Describe(net, Enumerable.Range(0, net.NumClasses).Select(c => 100 + 3 * c));
        meta.Stage = "stage2";
        meta.Epochs = 7;
        meta.Metrics["accuracy"] = 0.625;
        meta.Metrics["loss"] = double.NaN;
        meta.Seed = 42;
        return meta;
    }

    [Fact]
    public void RoundTripGivesTheSameOutputsAndMetadata()
    {
        using var scope = NewDisposeScope();
        using var net = TrainedLooking("wrn-16-1", 5, 3);
        var path = Path.Combine(dir, "student.refilled");
        var meta = MetadataFor(net);
        ModelCheckpoint.Save(net, meta, path);

        var (loaded, loadedMeta) = ModelCheckpoint.Load(path);
        using (loaded)
        {
            Assert.Equal("wrn-16-1", loaded.Spec.ToString());
            Assert.Equal(meta.Classes, loadedMeta.Classes);
            Assert.Equal("stage2", loadedMeta.Stage);
            Assert.Equal(7, loadedMeta.Epochs);
            Assert.Equal(0.625, loadedMeta.Metrics["accuracy"]);
            Assert.True(double.IsNaN(loadedMeta.Metrics["loss"]));
            Assert.Equal(42, loadedMeta.Seed);
            Assert.Equal(meta.Created, loadedMeta.Created);
            Assert.Equal(net.EmbeddingSize, loadedMeta.EmbeddingSize);
            Assert.Equal(net.state_dict().Keys, loaded.state_dict().Keys);
            foreach (var (key, tensor) in net.state_dict()) Assert.True(tensor.allclose(loaded.state_dict()[key], 0, 0), key);

            using var noGrad = no_grad();
            var x = randn([3, .. net.InputShape]);
            Assert.True(net.call(x).allclose(loaded.call(x), 0, 0));
        }
        Assert.Single(Directory.GetFiles(dir));
    }

    [Fact]
    public void MobileNetRoundTripKeepsItsInputSize()
    {
        using var net = NetworkSpec.Parse("mobilenet-0.25").Create(4, 64);
        var path = Path.Combine(dir, "m.refilled");
        ModelCheckpoint.Save(net, CheckpointMetadata.Describe(net), path);
        var (loaded, _) = ModelCheckpoint.Load(path);
        using (loaded) Assert.Equal(new long[] { 3, 64, 64 }, loaded.InputShape);
    }

    [Fact]
    public void TruncatedFileGetsAnErrorNamingIt()
    {
        using var net = TrainedLooking("resnet-20", 3, 1);
        var path = Path.Combine(dir, "truncated.refilled");
        ModelCheckpoint.Save(net, CheckpointMetadata.Describe(net), path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);

        var e = Assert.ThrowsAny<CheckpointFormatException>(() => ModelCheckpoint.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Equal(path, e.Path);
    }

    [Fact]
    public void CorruptWeightsGetAnErrorNamingTheFile()
    {
        using var net = TrainedLooking("resnet-20", 3, 1);
        var path = Path.Combine(dir, "corrupt.refilled");
        ModelCheckpoint.Save(net, CheckpointMetadata.Describe(net), path);
        var bytes = File.ReadAllBytes(path);
        // Inside the stored (uncompressed) weights: flip a run of bytes in the middle of the file.
        for (var i = bytes.Length / 2; i < bytes.Length / 2 + 16; i++) bytes[i] ^= 0x5a;
        File.WriteAllBytes(path, bytes);

        var e = Assert.ThrowsAny<CheckpointFormatException>(() => ModelCheckpoint.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void NotACheckpointGetsAFormatError()
    {
        var path = Path.Combine(dir, "notes.refilled");
        File.WriteAllText(path, "just some text");
        var e = Assert.Throws<CheckpointFormatException>(() => ModelCheckpoint.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void MissingFileIsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => ModelCheckpoint.Load(Path.Combine(dir, "absent.refilled")));

    [Fact]
    public void WrongArchitectureGetsAnErrorNamingTheKeyAndBothShapes()
    {
        using var net = TrainedLooking("wrn-16-1", 5, 2);
        var path = Path.Combine(dir, "relabelled.refilled");
        ModelCheckpoint.Save(net, CheckpointMetadata.Describe(net), path);
        // Claim a wider network than the weights hold.
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("metadata.json")!;
            string json;
            using (var reader = new StreamReader(entry.Open())) json = reader.ReadToEnd();
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("metadata.json").Open());
            writer.Write(json.Replace("\"wrn-16-1\"", "\"wrn-16-2\"").Replace("\"embeddingSize\": 64", "\"embeddingSize\": 128"));
        }

        var e = Assert.Throws<ArchitectureMismatchException>(() => ModelCheckpoint.Load(path));
        Assert.Equal("layer1.0.conv1.weight", e.Key);
        Assert.Equal(new long[] { 32, 16, 3, 3 }, e.ExpectedShape);
        Assert.Equal(new long[] { 16, 16, 3, 3 }, e.ActualShape);
        Assert.Contains("layer1.0.conv1.weight", e.Message);
        Assert.Contains("[32, 16, 3, 3]", e.Message);
        Assert.Contains("[16, 16, 3, 3]", e.Message);
    }

    [Fact]
    public void FailedWriteLeavesTheOldFileIntact()
    {
        using var old = TrainedLooking("resnet-20", 3, 1);
        var path = Path.Combine(dir, "model.refilled");
        ModelCheckpoint.Save(old, CheckpointMetadata.Describe(old), path);
        var before = File.ReadAllBytes(path);

        using var replacement = TrainedLooking("resnet-20", 3, 2);
        Assert.Throws<IOException>(() =>
            ModelCheckpoint.Save(replacement, CheckpointMetadata.Describe(replacement), path, s => new DiskFullStream(s, 100_000)));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir));
        var (loaded, _) = ModelCheckpoint.Load(path);
        using (loaded) Assert.True(old.state_dict()["fc.weight"].allclose(loaded.state_dict()["fc.weight"], 0, 0));
    }

    [Fact]
    public void MetadataThatDoesNotDescribeTheNetworkIsRefused()
    {
        using var net = NetworkSpec.SmallCnn.Create(3);
        var meta = CheckpointMetadata.Describe(net);
        meta.Classes = [1, 2];
        var e = Assert.Throws<ArgumentException>(() => ModelCheckpoint.Save(net, meta, Path.Combine(dir, "x.refilled")));
        Assert.Contains("Classes", e.Message);
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void GoldenTeacherSurvivesARoundTrip()
    {
        var golden = GoldenNetCase.All()[0];
        using var teacher = PyTorchCheckpointImporter.Load(golden.ModelFile, golden.Spec, imageSize: golden.ImageSize);
        var path = Path.Combine(dir, "teacher.refilled");
        ModelCheckpoint.Save(teacher, CheckpointMetadata.Describe(teacher), path);
        var (loaded, _) = ModelCheckpoint.Load(path);
        using (loaded)
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var (logits, embedding) = loaded.ForwardBoth(golden.Input());
            GoldenNetTests.AssertClose(golden.Expected("logits_f32"), logits, "round-tripped logits");
            GoldenNetTests.AssertClose(golden.Expected("embedding_f32"), embedding, "round-tripped embedding");
        }
    }

    /// <summary>Accepts a fixed number of bytes, then fails as a full disk would.</summary>
    sealed class DiskFullStream(Stream inner, long capacity) : Stream
    {
        long written;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => written;
        public override long Position { get => written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (written + count > capacity) throw new IOException("No space left on device");
            inner.Write(buffer, offset, count);
            written += count;
        }
    }
}
