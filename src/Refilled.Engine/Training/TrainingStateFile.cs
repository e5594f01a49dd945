using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Refilled.Engine.Checkpoints;
using Refilled.Engine.Networks;

namespace Refilled.Engine.Training;

/// <summary>
/// A resumable training state on disk: one zip with the network's current weights, the best weights, the optimiser,
/// the random generator and the history, written atomically (temp file, then rename) so a kill at any moment leaves
/// the previous epoch's file intact.
/// </summary>
public static class TrainingStateFile
{
    const string FormatTag = "refilled-training-state 1";

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // Stages by name; reading ignores case, so states written as "RKD"/"CRD" still resume.
        Converters = { new JsonStringEnumConverter() },
    };

    sealed record Header(int CompletedEpochs, double? BestMetric, int? BestEpoch, EpochMetrics[] History, double? BestCrossEntropy = null);

    public static void Save(string path, RefilledNetwork network, TrainingState state)
    {
        AtomicFile.Write(path, file =>
        {
            using var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true);
            Write(zip, "format", Encoding.UTF8.GetBytes(FormatTag));
            Write(zip, "state.json", JsonSerializer.SerializeToUtf8Bytes(
                new Header(state.CompletedEpochs, state.BestMetric, state.BestEpoch, state.History.ToArray(), state.BestCrossEntropy), Json));
            using (var weights = new WeightSnapshot(network)) Write(zip, "weights.bin", weights.Write);
            if (state.Best != null) Write(zip, "best.bin", state.Best.Write);
            if (state.Optimizer != null) Write(zip, "optimizer.bin", state.Optimizer);
            if (state.RandomState != null) Write(zip, "rng.bin", state.RandomState);
        });
    }

    /// <summary>
    /// Reads a state saved for <paramref name="network"/>; the caller owns (and disposes) the returned weights and the
    /// state's best snapshot. A damaged state, or one whose weights do not fit the network exactly, is refused with a
    /// <see cref="CheckpointFormatException"/> that says how to restart.
    /// </summary>
    public static (TrainingState State, WeightSnapshot Weights) Load(string path, RefilledNetwork network)
    {
        path = Path.GetFullPath(path);
        WeightSnapshot? weights = null, best = null;
        try
        {
            (var state, weights) = ReadFile(path);
            best = state.Best;
            if ((weights.Mismatch(network) ?? best?.Mismatch(network)) is { } problem)
                throw new CheckpointFormatException(path, $"its weights are not those of {network.Spec}: {problem}");
            return (state, weights);
        }
        catch (CheckpointFormatException e)
        {
            weights?.Dispose();
            best?.Dispose();
            throw new CheckpointFormatException(path, $"{e.Reason}. Delete '{path}' to restart this stage from its first epoch", e.InnerException);
        }
        catch
        {
            weights?.Dispose();
            best?.Dispose();
            throw;
        }
    }

    static (TrainingState State, WeightSnapshot Weights) ReadFile(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            if (Encoding.UTF8.GetString(Read(zip, "format", path)!) != FormatTag)
                throw new CheckpointFormatException(path, $"it is not a training state (expected '{FormatTag}')");
            var header = JsonSerializer.Deserialize<Header>(Read(zip, "state.json", path)!, Json)
                ?? throw new CheckpointFormatException(path, "state.json is empty");
            var weights = Snapshot(Read(zip, "weights.bin", path)!);
            var best = Read(zip, "best.bin", path, optional: true) is { } b ? Snapshot(b) : null;
            var state = new TrainingState
            {
                CompletedEpochs = header.CompletedEpochs,
                History = header.History,
                Best = best,
                BestMetric = header.BestMetric,
                BestCrossEntropy = header.BestCrossEntropy,
                BestEpoch = header.BestEpoch,
                Optimizer = Read(zip, "optimizer.bin", path, optional: true),
                RandomState = Read(zip, "rng.bin", path, optional: true),
            };
            return (state, weights);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or EndOfStreamException or IOException or ArgumentException)
        {
            throw new CheckpointFormatException(path, "the training state is truncated or corrupt: " + e.Message, e);
        }
    }

    static WeightSnapshot Snapshot(byte[] bytes)
    {
        using var reader = new BinaryReader(new MemoryStream(bytes, writable: false), Encoding.UTF8);
        return WeightSnapshot.Read(reader);
    }

    static void Write(ZipArchive zip, string name, byte[] content)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(content);
    }

    static void Write(ZipArchive zip, string name, Action<BinaryWriter> write)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        using var writer = new BinaryWriter(stream, Encoding.UTF8);
        write(writer);
    }

    static byte[]? Read(ZipArchive zip, string name, string path, bool optional = false)
    {
        var entry = zip.GetEntry(name);
        if (entry is null)
            return optional ? null : throw new CheckpointFormatException(path, $"the archive has no '{name}' entry");
        // Entries are stored uncompressed, so none can be longer than the file.
        return BoundedRead.Entry(entry, new FileInfo(path).Length, path);
    }
}
