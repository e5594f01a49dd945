using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using static TorchSharp.torch;

namespace Refilled.Engine.Checkpoints;

/// <summary>
/// Refilled's own checkpoint: one zip holding <c>format</c>, <c>metadata.json</c>, the TorchSharp weights
/// (<c>weights.bin</c>, <c>module.save</c>) and their SHA-256. Writes are atomic: a temp file in the same
/// folder, then a rename, so a crash mid-write leaves the previous file intact. The file does not depend on a device:
/// weights are written from CPU copies and loaded onto whichever device the caller asks for.
/// </summary>
public static class ModelCheckpoint
{
    const string FormatEntry = "format";
    const string FormatTag = "refilled-checkpoint 1";
    const string MetadataEntry = "metadata.json";
    const string WeightsEntry = "weights.bin";
    const string WeightsHashEntry = "weights.sha256";

    static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Metrics may be NaN or infinite (a diverged loss); keep them rather than fail the save.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Save(RefilledNetwork network, CheckpointMetadata metadata, string path) =>
        Save(network, metadata, path, stream => stream);

    /// <param name="wrapTarget">Wraps the temp file's stream; tests use it to fail mid-write.</param>
    internal static void Save(RefilledNetwork network, CheckpointMetadata metadata, string path, Func<Stream, Stream> wrapTarget)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(metadata);
        EnsureDescribes(metadata, network);
        using var weights = new MemoryStream();
        using (var writer = new BinaryWriter(weights, Encoding.UTF8, leaveOpen: true)) network.save(writer);
        var hash = Convert.ToHexString(SHA256.HashData(weights.GetBuffer().AsSpan(0, (int)weights.Length)));

        AtomicFile.Write(path, file =>
        {
            var target = wrapTarget(file);
            using (var zip = new ZipArchive(target, ZipArchiveMode.Create, leaveOpen: true))
            {
                WriteEntry(zip, FormatEntry, Encoding.UTF8.GetBytes(FormatTag));
                WriteEntry(zip, MetadataEntry, JsonSerializer.SerializeToUtf8Bytes(metadata, Json));
                WriteEntry(zip, WeightsHashEntry, Encoding.ASCII.GetBytes(hash));
                WriteEntry(zip, WeightsEntry, weights.GetBuffer().AsSpan(0, (int)weights.Length));
            }
            target.Flush();
        });
    }

    /// <summary>True when the file is a Refilled checkpoint rather than, say, a PyTorch zip.</summary>
    public static bool IsOwnFormat(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return zip.GetEntry(FormatEntry) != null;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>Rebuilds the network named in the metadata and loads its weights (returned in eval mode).</summary>
    /// <param name="device">Where the network is placed (default: the CPU); checked before the file is read.</param>
    public static (RefilledNetwork Network, CheckpointMetadata Metadata) Load(string path, DeviceSpec? device = null)
    {
        device?.EnsureAvailable();
        path = Path.GetFullPath(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{path}' does not exist.", path);

        CheckpointMetadata metadata;
        byte[] weights;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            if (Encoding.UTF8.GetString(ReadEntry(zip, FormatEntry, path)) != FormatTag)
                throw new CheckpointFormatException(path, $"it is not a Refilled checkpoint (expected '{FormatTag}')");
            metadata = JsonSerializer.Deserialize<CheckpointMetadata>(ReadEntry(zip, MetadataEntry, path), Json)
                ?? throw new CheckpointFormatException(path, "metadata.json is empty");
            weights = ReadEntry(zip, WeightsEntry, path);
            if (Encoding.ASCII.GetString(ReadEntry(zip, WeightsHashEntry, path)) != Convert.ToHexString(SHA256.HashData(weights)))
                throw new CheckpointFormatException(path, "the weights do not match their SHA-256 (corrupt file)");
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or EndOfStreamException or NotSupportedException)
        {
            throw new CheckpointFormatException(path, "the file is truncated or corrupt: " + e.Message, e);
        }

        NetworkSpec spec;
        try
        {
            spec = NetworkSpec.Parse(metadata.Architecture);
        }
        catch (ArgumentException e)
        {
            throw new CheckpointFormatException(path, e.Message, e);
        }
        EnsurePlausible(metadata, path);

        var imageSize = metadata.InputShape is [_, _, var width] ? (int)width : (int?)null;
        var network = StateDictTransfer.Build(spec, metadata.NumClasses, imageSize, ReadWeights(weights, path), path, device);
        return (network, metadata);
    }

    static void EnsureDescribes(CheckpointMetadata metadata, RefilledNetwork network)
    {
        var problems = new List<string>();
        if (metadata.Architecture != network.Spec.ToString()) problems.Add($"Architecture '{metadata.Architecture}' is not '{network.Spec}'");
        if (metadata.NumClasses != network.NumClasses) problems.Add($"NumClasses {metadata.NumClasses} is not {network.NumClasses}");
        if (metadata.Classes.Length != network.NumClasses) problems.Add($"Classes has {metadata.Classes.Length} ids for {network.NumClasses} outputs");
        if (metadata.EmbeddingSize != network.EmbeddingSize) problems.Add($"EmbeddingSize {metadata.EmbeddingSize} is not {network.EmbeddingSize}");
        if (problems.Count > 0)
            throw new ArgumentException("The metadata does not describe the network: " + string.Join("; ", problems) + ". Use CheckpointMetadata.Describe.", nameof(metadata));
    }

    /// <summary>The widest classifier a checkpoint may ask for (ImageNet-21k has 21,841 classes).</summary>
    public const int MaxClasses = 100_000;

    /// <summary>The largest input side a checkpoint may ask for.</summary>
    public const int MaxImageSize = 4096;

    // The metadata decides what is built before any weight is checked, so it must not ask for an absurd network.
    static void EnsurePlausible(CheckpointMetadata metadata, string path)
    {
        if (metadata.NumClasses is < 1 or > MaxClasses)
            throw new CheckpointFormatException(path, $"metadata.json declares {metadata.NumClasses} classes; expected 1..{MaxClasses}");
        if (metadata.Classes.Length != metadata.NumClasses)
            throw new CheckpointFormatException(path, $"metadata.json lists {metadata.Classes.Length} class ids for {metadata.NumClasses} classes");
        if (metadata.InputShape is not [1 or 3, var height, var width] || height != width || width is < 1 or > MaxImageSize)
            throw new CheckpointFormatException(path,
                $"metadata.json declares input shape [{string.Join(", ", metadata.InputShape)}]; expected [1 or 3, n, n] with n in 1..{MaxImageSize}");
    }

    // The TorchSharp layout of module.save: LEB128 entry count, then per entry a string key and a tensor (LEB128 dtype,
    // rank and sizes, then the bytes). The sizes are read first and must fit in the bytes that follow, so a declared
    // shape of 2^40 is refused here rather than by libtorch's allocator.
    static StoredStateDict ReadWeights(byte[] weights, string path)
    {
        var shapes = new Dictionary<string, long[]>();
        try
        {
            using var reader = new BinaryReader(new MemoryStream(weights, writable: false), Encoding.UTF8);
            var count = ReadLeb128(reader);
            for (long i = 0; i < count; i++)
            {
                var key = reader.ReadString();
                var type = (ScalarType)ReadLeb128(reader);
                var rank = ReadLeb128(reader);
                if (rank is < 0 or > 8) throw new InvalidDataException($"tensor '{key}' has rank {rank}");
                var shape = new long[rank];
                for (var d = 0; d < rank; d++) shape[d] = ReadLeb128(reader);
                var bytes = StoredStateDict.StorageBytes(shape, StoredStateDict.ContiguousStrides(shape), 0, StoredStateDict.ElementSize(type, path));
                var left = weights.Length - reader.BaseStream.Position;
                if (bytes > left)
                    throw new InvalidDataException($"tensor '{key}' of shape [{string.Join(", ", shape)}] declares {bytes:N0} bytes; {left:N0} are left");
                reader.BaseStream.Position += bytes;
                shapes[key] = shape;
            }
            if (reader.BaseStream.Position != weights.Length) throw new InvalidDataException("trailing bytes after the last tensor");
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException or ArgumentException or OverflowException)
        {
            throw new CheckpointFormatException(path, "the weights are truncated or corrupt: " + e.Message, e);
        }
        return new StoredStateDict(shapes, () => LoadWeights(weights, path));
    }

    static Dictionary<string, Tensor> LoadWeights(byte[] weights, string path)
    {
        var stored = new Dictionary<string, Tensor>();
        try
        {
            using var reader = new BinaryReader(new MemoryStream(weights, writable: false), Encoding.UTF8);
            var count = ReadLeb128(reader);
            for (long i = 0; i < count; i++)
            {
                var key = reader.ReadString();
                stored[key] = TorchSharp.TensorExtensionMethods.Load(reader);
            }
            return stored;
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or IOException or ArgumentException)
        {
            foreach (var tensor in stored.Values) tensor.Dispose();
            throw new CheckpointFormatException(path, "the weights are truncated or corrupt: " + e.Message, e);
        }
    }

    static long ReadLeb128(BinaryReader reader)
    {
        long value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = reader.ReadByte();
            value |= (long)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new InvalidDataException("a length does not end");
    }

    static void WriteEntry(ZipArchive zip, string name, ReadOnlySpan<byte> content)
    {
        // Weights barely compress; storing keeps saves fast.
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(content);
    }

    // Entries are stored uncompressed, so none can be longer than the file.
    static byte[] ReadEntry(ZipArchive zip, string name, string path)
    {
        var entry = zip.GetEntry(name) ?? throw new CheckpointFormatException(path, $"the archive has no '{name}' entry");
        return BoundedRead.Entry(entry, new FileInfo(path).Length, path);
    }
}
