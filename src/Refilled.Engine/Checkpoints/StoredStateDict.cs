using static TorchSharp.torch;

namespace Refilled.Engine.Checkpoints;

/// <summary>
/// A checkpoint's tensors before they are read: each key's shape as the file declares it (already checked to fit in
/// the bytes the file really holds), and how to read them. So keys and shapes are compared with the architecture
/// before a byte is allocated for a tensor.
/// </summary>
internal sealed class StoredStateDict(IReadOnlyDictionary<string, long[]> shapes, Func<Dictionary<string, Tensor>> read)
{
    const string DataParallelPrefix = "module.";

    public IReadOnlyDictionary<string, long[]> Shapes { get; } = shapes;

    /// <summary>Reads the tensors (the caller disposes them).</summary>
    public Dictionary<string, Tensor> Read() => read();

    /// <summary>Keys saved from DataParallel (<c>module.</c> before every key) without the prefix.</summary>
    public StoredStateDict WithoutDataParallelPrefix() =>
        Shapes.Count > 0 && Shapes.Keys.All(k => k.StartsWith(DataParallelPrefix, StringComparison.Ordinal))
            ? new(Shapes.ToDictionary(kv => kv.Key[DataParallelPrefix.Length..], kv => kv.Value),
                () => read().ToDictionary(kv => kv.Key[DataParallelPrefix.Length..], kv => kv.Value))
            : this;

    /// <summary>The bytes a tensor of <paramref name="shape"/> with <paramref name="stride"/> reaches in its storage.</summary>
    public static long StorageBytes(long[] shape, long[] stride, long offset, long elementSize)
    {
        if (shape.Any(s => s < 0) || stride.Any(s => s < 0) || offset < 0) throw new OverflowException("a negative size, stride or offset");
        if (shape.Any(s => s == 0)) return 0;
        var last = offset;
        checked
        {
            for (var d = 0; d < shape.Length; d++) last += (shape[d] - 1) * stride[d];
            return (last + 1) * elementSize;
        }
    }

    public static long[] ContiguousStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride = shape[d] == 0 ? stride : checked(stride * shape[d]);
        }
        return strides;
    }

    /// <summary>Bytes per element of a safetensors dtype (F32, BF16, I64, …).</summary>
    public static long ElementSize(string safetensorsType, string path) => safetensorsType switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" => 1,
        _ => throw new CheckpointFormatException(path, $"the dtype '{safetensorsType}' is not one this reader knows"),
    };

    /// <summary>Bytes per element of a torch dtype.</summary>
    public static long ElementSize(ScalarType type, string path) => type switch
    {
        ScalarType.Float64 or ScalarType.Int64 or ScalarType.ComplexFloat32 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        ScalarType.ComplexFloat64 => 16,
        _ => throw new CheckpointFormatException(path, $"the dtype '{type}' is not one this reader knows"),
    };
}
