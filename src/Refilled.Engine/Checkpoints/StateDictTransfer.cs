using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using static TorchSharp.torch;

namespace Refilled.Engine.Checkpoints;

/// <summary>Checks stored tensors against a network, key by key, and copies them in.</summary>
internal static class StateDictTransfer
{
    /// <summary>
    /// Builds <paramref name="spec"/> and loads <paramref name="stored"/> into it (in eval mode), on the CPU, then moves
    /// it to <paramref name="device"/>. The stored tensors are disposed either way, and so is the network when a key
    /// does not fit.
    /// </summary>
    public static RefilledNetwork Build(NetworkSpec spec, int numClasses, int? imageSize, Dictionary<string, Tensor> stored, string path,
        DeviceSpec? device)
    {
        RefilledNetwork? network = null;
        try
        {
            network = spec.Create(numClasses, imageSize);
            Apply(network, stored, path);
            if (device != null) network.MoveTo(device);
        }
        catch
        {
            network?.Dispose();
            throw;
        }
        finally
        {
            foreach (var tensor in stored.Values) tensor.Dispose();
        }
        network.eval();
        return network;
    }

    /// <summary>
    /// Every network key must be stored with the same shape, and nothing else may be stored; only then are
    /// the values copied, so a mismatch leaves the network untouched.
    /// </summary>
    public static void Apply(RefilledNetwork network, IReadOnlyDictionary<string, Tensor> stored, string path)
    {
        var target = network.state_dict();
        var architecture = network.Spec.ToString();
        foreach (var (key, tensor) in target)
        {
            if (!stored.TryGetValue(key, out var source))
                throw new ArchitectureMismatchException(path, architecture, key, tensor.shape, null);
            if (!source.shape.SequenceEqual(tensor.shape))
                throw new ArchitectureMismatchException(path, architecture, key, tensor.shape, source.shape);
            if (!IsConvertible(source, tensor))
                throw new ArchitectureMismatchException(path, architecture, key, tensor.shape, source.shape,
                    $"stored as {source.dtype}, expected {tensor.dtype}");
        }
        foreach (var (key, source) in stored)
        {
            if (!target.ContainsKey(key))
                throw new ArchitectureMismatchException(path, architecture, key, null, source.shape);
        }

        using var noGrad = no_grad();
        foreach (var (key, tensor) in target) tensor.copy_(stored[key]);
    }

    // Float widths may differ (a half or double checkpoint loads into float32); integers stay integers.
    static bool IsConvertible(Tensor from, Tensor to) => from.dtype == to.dtype || (from.is_floating_point() && to.is_floating_point());
}
