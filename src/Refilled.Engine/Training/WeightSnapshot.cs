using Refilled.Engine.Networks;
using static TorchSharp.torch;

namespace Refilled.Engine.Training;

/// <summary>
/// A detached copy of a network's parameters and buffers, kept outside every dispose scope. A snapshot taken in
/// training stays on the network's device (no copy to the host per improved epoch); written ones are CPU copies,
/// read ones live on the CPU, and restoring copies across devices, so a state saved on one device resumes on another.
/// </summary>
public sealed class WeightSnapshot : IDisposable
{
    readonly Dictionary<string, Tensor> tensors = new();

    public WeightSnapshot(RefilledNetwork network)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in network.state_dict()) tensors[name] = Detached(tensor);
    }

    WeightSnapshot()
    {
    }

    /// <summary>Copies the weights in; throws <see cref="InvalidOperationException"/> unless they fit exactly.</summary>
    public void RestoreInto(RefilledNetwork network)
    {
        // copy_ broadcasts: a [1, 64] tensor would silently fill every row of a [10, 64] weight.
        if (Mismatch(network) is { } problem) throw new InvalidOperationException($"The weights do not fit {network.Spec}: {problem}.");
        using var noGrad = no_grad();
        foreach (var (name, tensor) in network.state_dict()) tensor.copy_(tensors[name]);
    }

    /// <summary>Why these weights do not fit <paramref name="network"/> (same names, shapes and types), or null when they do.</summary>
    public string? Mismatch(RefilledNetwork network)
    {
        var target = network.state_dict();
        foreach (var (name, tensor) in target)
        {
            if (!tensors.TryGetValue(name, out var stored)) return $"'{name}' is missing";
            if (!stored.shape.SequenceEqual(tensor.shape))
                return $"'{name}' is [{string.Join(", ", stored.shape)}], the network's is [{string.Join(", ", tensor.shape)}]";
            if (stored.dtype != tensor.dtype) return $"'{name}' is {stored.dtype}, the network's is {tensor.dtype}";
        }
        return tensors.Keys.FirstOrDefault(name => !target.ContainsKey(name)) is { } extra ? $"'{extra}' is not in the network" : null;
    }

    /// <summary>An independent copy, e.g. for a trainer that must own the best weights it was resumed with.</summary>
    public WeightSnapshot Copy()
    {
        var copy = new WeightSnapshot();
        using var noGrad = no_grad();
        foreach (var (name, tensor) in tensors) copy.tensors[name] = Detached(tensor);
        return copy;
    }

    /// <summary>Writes the tensors bit for bit: a count, then per tensor its name and TorchSharp's tensor encoding.</summary>
    public void Write(BinaryWriter writer)
    {
        writer.Write(tensors.Count);
        foreach (var (name, tensor) in tensors)
        {
            writer.Write(name);
            TorchSharp.TensorExtensionMethods.Save(tensor, writer);
        }
    }

    public static WeightSnapshot Read(BinaryReader reader)
    {
        var snapshot = new WeightSnapshot();
        try
        {
            var count = reader.ReadInt32();
            for (var i = 0; i < count; i++)
            {
                var name = reader.ReadString();
                var tensor = TorchSharp.TensorExtensionMethods.Load(reader);
                tensor.DetachFromDisposeScope();
                snapshot.tensors[name] = tensor;
            }
            return snapshot;
        }
        catch
        {
            snapshot.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var tensor in tensors.Values) tensor.Dispose();
        tensors.Clear();
    }

    static Tensor Detached(Tensor tensor)
    {
        var copy = tensor.detach().clone();
        copy.DetachFromDisposeScope();
        return copy;
    }
}
