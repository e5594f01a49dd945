using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using static TorchSharp.torch;

namespace Refilled.Engine.Checkpoints;

/// <summary>Checks stored tensors against a network, key by key, and copies them in.</summary>
internal static class StateDictTransfer
{
    /// <summary>
    /// Builds <paramref name="spec"/> and loads <paramref name="file"/> into it (in eval mode), on the CPU, then moves
    /// it to <paramref name="device"/>. Keys and shapes are first compared with the network built on the meta device
    /// (shapes without memory), so a file that does not fit costs neither its tensors nor the network. The stored
    /// tensors are disposed either way, and so is the network when a key does not fit.
    /// </summary>
    public static RefilledNetwork Build(NetworkSpec spec, int numClasses, int? imageSize, StoredStateDict file, string path,
        DeviceSpec? device)
    {
        using (var shapes = spec.CreateOn(DeviceSpec.Meta, numClasses, imageSize))
            Check(shapes, file.Shapes, path);
        RefilledNetwork? network = null;
        var stored = new Dictionary<string, Tensor>();
        try
        {
            stored = file.Read();
            network = spec.Create(numClasses, imageSize);
            Apply(network, stored, path);
            if (device != null) network.MoveTo(device);
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            // libtorch's message carries its C++ stack: the first line says what was wrong with the file.
            network?.Dispose();
            throw new CheckpointFormatException(path, "libtorch cannot load a tensor: " + CheckpointFormatException.FirstLine(e.Message), e);
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
        Check(network, stored.ToDictionary(kv => kv.Key, kv => kv.Value.shape), path);
        foreach (var (key, tensor) in target)
        {
            if (!IsConvertible(stored[key], tensor))
                throw new ArchitectureMismatchException(path, network.Spec.ToString(), key, tensor.shape, stored[key].shape,
                    $"stored as {stored[key].dtype}, expected {tensor.dtype}");
        }

        using var noGrad = no_grad();
        foreach (var (key, tensor) in target) tensor.copy_(stored[key]);
    }

    /// <summary>Every key of <paramref name="network"/> stored with its shape, and nothing else stored.</summary>
    static void Check(RefilledNetwork network, IReadOnlyDictionary<string, long[]> stored, string path)
    {
        var target = network.state_dict();
        var architecture = network.Spec.ToString();
        foreach (var (key, tensor) in target)
        {
            if (!stored.TryGetValue(key, out var shape))
                throw new ArchitectureMismatchException(path, architecture, key, tensor.shape, null);
            if (!shape.SequenceEqual(tensor.shape))
                throw new ArchitectureMismatchException(path, architecture, key, tensor.shape, shape);
        }
        foreach (var (key, shape) in stored)
        {
            if (!target.ContainsKey(key))
                throw new ArchitectureMismatchException(path, architecture, key, null, shape);
        }
    }

    // Float widths may differ (a half or double checkpoint loads into float32); integers stay integers.
    static bool IsConvertible(Tensor from, Tensor to) => from.dtype == to.dtype || (from.is_floating_point() && to.is_floating_point());
}
