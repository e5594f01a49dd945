using System.Reflection;
using static TorchSharp.torch;

namespace Refilled.Engine.Checkpoints;

/// <summary>
/// A tensor of a torch.save zip as PyBridge unpickles it with <c>skipTensorRead</c>: the pickle's shape, stride,
/// storage offset and dtype, and the stream of its storage entry, before anything is allocated. PyBridge allocates what
/// the pickle declares, so the declared extent is checked against the entry's real length first. PyBridge keeps the
/// type internal; it is read by its property names, which its tests pin (TorchSharp.PyBridge 1.4.4).
/// </summary>
internal sealed class PendingTensor
{
    readonly object args;

    PendingTensor(object args, long[] shape) => (this.args, Shape) = (args, shape);

    public long[] Shape { get; }

    /// <summary>The pending tensor, or null when <paramref name="value"/> is not one; refused when it claims more bytes than its entry holds.</summary>
    /// <param name="entries">The archive's entries, in the order PyBridge indexes them.</param>
    public static PendingTensor? Of(object? value, string key, IReadOnlyList<System.IO.Compression.ZipArchiveEntry> entries, string path)
    {
        if (value?.GetType() is not { Name: "TensorConstructorArgs" } type) return null;
        T Get<T>(string name) => (T)(type.GetProperty(name, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(value)
            ?? throw new CheckpointFormatException(path, $"this PyBridge version has no {name} on a pending tensor"));
        var shape = Get<long[]>("Shape");
        var index = Get<int>("ArchiveIndex");
        var storage = index >= 0 && index < entries.Count ? entries[index].Length
            : throw new CheckpointFormatException(path, $"tensor '{key}' names no entry of the archive");
        long declared;
        try
        {
            declared = StoredStateDict.StorageBytes(shape, Get<long[]>("Stride"), Get<int>("StorageOffset"),
                StoredStateDict.ElementSize(Get<ScalarType>("DType"), path));
        }
        catch (OverflowException)
        {
            throw new CheckpointFormatException(path, $"tensor '{key}' declares a size, stride or offset out of range");
        }
        if (declared > storage)
            throw new CheckpointFormatException(path,
                $"tensor '{key}' of shape [{string.Join(", ", shape)}] reaches {declared:N0} bytes into a storage of {storage:N0}");
        return new PendingTensor(value, shape);
    }

    public Tensor Read(string path)
    {
        try
        {
            return (Tensor)args.GetType().GetMethod("ReadTensorFromStream")!.Invoke(args, null)!;
        }
        catch (TargetInvocationException e)
        {
            throw new CheckpointFormatException(path, CheckpointFormatException.FirstLine((e.InnerException ?? e).Message), e.InnerException);
        }
    }
}
