using Refilled.Engine.Networks;
using static TorchSharp.torch;

namespace Refilled.Engine.Training;

/// <summary>A detached copy of a network's parameters and buffers, kept outside every dispose scope.</summary>
public sealed class WeightSnapshot : IDisposable
{
    readonly Dictionary<string, Tensor> tensors = new();

    public WeightSnapshot(RefilledNetwork network)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in network.state_dict())
        {
            var copy = tensor.detach().clone();
            copy.DetachFromDisposeScope();
            tensors[name] = copy;
        }
    }

    public void RestoreInto(RefilledNetwork network)
    {
        using var noGrad = no_grad();
        foreach (var (name, tensor) in network.state_dict()) tensor.copy_(tensors[name]);
    }

    public void Dispose()
    {
        foreach (var tensor in tensors.Values) tensor.Dispose();
        tensors.Clear();
    }
}
