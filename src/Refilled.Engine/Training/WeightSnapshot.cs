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

    public void RestoreInto(RefilledNetwork network)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in network.state_dict()) tensor.copy_(tensors[name]);
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
