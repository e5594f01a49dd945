using System.Buffers.Binary;
using System.Collections;
using System.Text.Json;
using System.IO.Compression;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Refilled.Engine.Checkpoints;

/// <summary>
/// Loads networks trained in PyTorch: the released <c>torch.save({'state_dict', ...})</c> records, bare
/// state_dict files (torch ≥ 1.6 zip format) and <c>.safetensors</c>. Keys saved from DataParallel
/// (<c>module.</c> prefix) are accepted.
/// </summary>
public static class PyTorchCheckpointImporter
{
    /// <summary>Builds <paramref name="spec"/> and loads the file into it; the network is returned in eval mode.</summary>
    /// <param name="numClasses">The classifier width; when null it is read from <c>fc.weight</c>.</param>
    /// <param name="imageSize">Input height = width, as for <see cref="NetworkSpec.Create"/>.</param>
    /// <param name="device">Where the network is placed (default: the CPU); checked before the file is read.</param>
    public static RefilledNetwork Load(string path, NetworkSpec spec, int? numClasses = null, int? imageSize = null, DeviceSpec? device = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        device?.EnsureAvailable();
        path = Path.GetFullPath(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"PyTorch checkpoint '{path}' does not exist.", path);

        var stored = ReadStateDict(path).WithoutDataParallelPrefix();
        return StateDictTransfer.Build(spec, numClasses ?? InferNumClasses(stored, path), imageSize, stored, path, device);
    }

    static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".model", ".pt", ".pth", ".bin", ".safetensors" };

    /// <summary>
    /// True for a PyTorch file: a PyTorch extension and not a Refilled checkpoint. Anything else is read as a Refilled
    /// checkpoint, so a damaged one gets that format's error rather than a request for an architecture.
    /// </summary>
    public static bool IsPyTorchFile(string path) =>
        Extensions.Contains(Path.GetExtension(path)) && !ModelCheckpoint.IsOwnFormat(path);

    /// <summary>The tensors of a PyTorch checkpoint by key, refusing unsafe pickles first and sizes the file cannot hold.</summary>
    internal static StoredStateDict ReadStateDict(string path)
    {
        var header = new byte[8];
        using (var probe = File.OpenRead(path)) probe.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);

        if (header is [(byte)'P', (byte)'K', 3, 4, ..]) return ReadTorchZip(path);
        if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) return ReadSafetensors(path);

        // torch.save before 1.6 wrote raw pickles. PyBridge cannot read them, but refuse a malicious one
        // with the same message as in the zip format.
        PickleGlobalScanner.EnsureSafe(BoundedRead.File(path, MaxPickleBytes, "pickle"), path);
        throw new CheckpointFormatException(path,
            "it is neither a torch.save zip archive (PyTorch >= 1.6) nor .safetensors; re-save it with a recent PyTorch");
    }

    /// <summary>A state_dict pickle holds only keys and tensor references: a few hundred KB even for large networks.</summary>
    internal const int MaxPickleBytes = 16 << 20;

    static StoredStateDict ReadTorchZip(string path)
    {
        Hashtable top;
        byte[] archive;
        try
        {
            // The file is read once: the bytes scanned are the bytes unpickled, whatever happens to the file meanwhile.
            archive = BoundedRead.File(path, Array.MaxLength, "checkpoint");
            using (var zip = new ZipArchive(new MemoryStream(archive, writable: false), ZipArchiveMode.Read))
            {
                PickleGlobalScanner.EnsureSafe(BoundedRead.Entry(TheOnePickle(zip, path), MaxPickleBytes, path), path);
                EnsureNoInflationBomb(zip, archive.Length, path);
            }
            // Tensors are not read yet: their declared sizes are checked against their entries first.
            top = PyTorchUnpickler.UnpickleStateDict(new MemoryStream(archive, writable: false), leaveOpen: true, skipTensorRead: true);
        }
        catch (CheckpointFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or InvalidCastException or NotImplementedException
                                       or InvalidOperationException or ArgumentException or Razorvine.Pickle.PickleException)
        {
            throw new CheckpointFormatException(path, e.Message, e);
        }

        // The released trainers save {'state_dict': ..., 'validating_accuracy': ..., 'epoch': ...}.
        var stateDict = top["state_dict"] is Hashtable inner ? inner : top;
        var pending = new Dictionary<string, PendingTensor>();
        using var entries = new ZipArchive(new MemoryStream(archive, writable: false), ZipArchiveMode.Read);
        foreach (DictionaryEntry entry in stateDict)
        {
            if (entry.Key is not string key || PendingTensor.Of(entry.Value, key, entries.Entries, path) is not { } tensor)
                throw new CheckpointFormatException(path, $"entry '{entry.Key}' is not a tensor; expected a state_dict or a record with a 'state_dict'");
            pending[key] = tensor;
        }
        return new StoredStateDict(pending.ToDictionary(kv => kv.Key, kv => kv.Value.Shape),
            () => pending.ToDictionary(kv => kv.Key, kv => kv.Value.Read(path)));
    }

    /// <summary>
    /// How far a checkpoint's entries may inflate past the file: torch.save stores them uncompressed, TorchSharp.PyBridge
    /// deflates them, and weights barely compress (float32 deflates to about 90 %).
    /// </summary>
    const int MaxInflation = 2;

    /// <summary>A 1 MB archive whose deflated entries declare 1 GB of tensors is refused before anything is inflated.</summary>
    static void EnsureNoInflationBomb(ZipArchive zip, long fileLength, string path)
    {
        var declared = zip.Entries.Sum(e => e.Length);
        if (declared > MaxInflation * fileLength + MaxPickleBytes)
            throw new CheckpointFormatException(path,
                $"its entries inflate to {declared:N0} bytes from a {fileLength:N0}-byte file; torch.save stores its entries uncompressed");
    }

    /// <summary>
    /// The entry PyBridge unpickles is the first whose name ends in <c>data.pkl</c>; with exactly one such entry and no
    /// backslash names (which zip readers split differently), the scanned entry is certainly the one loaded.
    /// </summary>
    static ZipArchiveEntry TheOnePickle(ZipArchive zip, string path)
    {
        if (zip.Entries.FirstOrDefault(e => e.FullName.Contains('\\')) is { } backslashed)
            throw new CheckpointFormatException(path, $"entry '{backslashed.FullName}' has a backslash in its name; torch.save never writes one");
        var pickles = zip.Entries.Where(e => e.Name.EndsWith("data.pkl", StringComparison.Ordinal) || e.FullName.EndsWith("data.pkl", StringComparison.Ordinal)).ToList();
        return pickles.Count switch
        {
            0 => throw new CheckpointFormatException(path, "the archive has no data.pkl; it is not a torch.save file"),
            1 => pickles[0],
            _ => throw new CheckpointFormatException(path,
                $"the archive has {pickles.Count} entries that could be its pickle ({string.Join(", ", pickles.Select(e => e.FullName))}); torch.save writes one"),
        };
    }

    static StoredStateDict ReadSafetensors(string path)
    {
        try
        {
            return new StoredStateDict(SafetensorsShapes(path), () => ReadSafetensorsTensors(path));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or JsonException or ArgumentException
                                       or InvalidOperationException or NotImplementedException or KeyNotFoundException or OverflowException)
        {
            throw new CheckpointFormatException(path, "not a valid .safetensors file: " + e.Message, e);
        }
    }

    static Dictionary<string, Tensor> ReadSafetensorsTensors(string path)
    {
        try
        {
            return Safetensors.LoadStateDict(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or JsonException or ArgumentException
                                       or InvalidOperationException or NotImplementedException or KeyNotFoundException or OverflowException)
        {
            throw new CheckpointFormatException(path, "not a valid .safetensors file: " + e.Message, e);
        }
    }

    /// <summary>The safetensors format's own limit on the JSON header.</summary>
    const int MaxSafetensorsHeaderBytes = 100 << 20;

    // The header's sizes are the author's claim and PyBridge allocates what they say: check them against the file first.
    // Each tensor must own its bytes: overlapping ranges would let a small file declare many large tensors.
    static Dictionary<string, long[]> SafetensorsShapes(string path)
    {
        using var file = File.OpenRead(path);
        var prefix = new byte[8];
        if (file.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8) throw new InvalidDataException("the file is shorter than its 8-byte header length");
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)Math.Min(MaxSafetensorsHeaderBytes, file.Length - 8))
            throw new InvalidDataException($"the header declares {headerLength:N0} bytes; the file has {file.Length - 8:N0} after the length");
        var header = new byte[headerLength];
        file.ReadExactly(header);
        var dataLength = file.Length - 8 - (long)headerLength;
        using var json = JsonDocument.Parse(header);
        var shapes = new Dictionary<string, long[]>();
        var ranges = new List<(long Begin, long End, string Name)>();
        foreach (var tensor in json.RootElement.EnumerateObject().Where(t => t.Name != "__metadata__"))
        {
            var offsets = tensor.Value.ValueKind == JsonValueKind.Object && tensor.Value.TryGetProperty("data_offsets", out var o)
                && o.ValueKind == JsonValueKind.Array && o.GetArrayLength() == 2 ? (o[0].GetInt64(), o[1].GetInt64()) : (-1, -1);
            if (offsets is not (>= 0 and var begin, var end) || end < begin || end > dataLength)
                throw new InvalidDataException($"tensor '{tensor.Name}' has data_offsets outside the {dataLength:N0} data bytes of the file");
            var shape = tensor.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var bytes = StoredStateDict.StorageBytes(shape, StoredStateDict.ContiguousStrides(shape), 0,
                StoredStateDict.ElementSize(tensor.Value.GetProperty("dtype").GetString() ?? "", path));
            if (bytes != end - begin)
                throw new InvalidDataException($"tensor '{tensor.Name}' declares shape [{string.Join(", ", shape)}] ({bytes:N0} bytes) in {end - begin:N0} data bytes");
            shapes[tensor.Name] = shape;
            ranges.Add((begin, end, tensor.Name));
        }
        ranges.Sort();
        for (var i = 1; i < ranges.Count; i++)
            if (ranges[i].Begin < ranges[i - 1].End)
                throw new InvalidDataException($"tensors '{ranges[i - 1].Name}' and '{ranges[i].Name}' share data bytes; each tensor owns its own");
        return shapes;
    }

    static int InferNumClasses(StoredStateDict stored, string path) =>
        stored.Shapes.TryGetValue("fc.weight", out var fc) && fc.Length == 2 && fc[0] <= int.MaxValue
            ? (int)fc[0]
            : throw new CheckpointFormatException(path, "there is no 2-D 'fc.weight' to read the number of classes from; pass it explicitly");
}
