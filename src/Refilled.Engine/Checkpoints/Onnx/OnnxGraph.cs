using System.Runtime.InteropServices;
using Refilled.Engine.Data;
using Refilled.Engine.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Refilled.Engine.Checkpoints.Onnx;

/// <summary>
/// An inference graph under construction: the networks append their eval-mode forward pass layer by layer
/// (<see cref="RefilledNetwork.WriteOnnx"/>), each call adding a node whose output name it returns. Weights become
/// float32 initializers; a BatchNorm that directly follows a convolution is folded into it
/// (<see cref="BatchNormFolding"/>), any other one becomes a BatchNormalization node.
/// </summary>
internal sealed class OnnxGraph
{
    readonly List<ProtoMessage> nodes = [];
    readonly List<ProtoMessage> initializers = [];
    int counter;

    internal IReadOnlyList<ProtoMessage> Nodes => nodes;
    internal IReadOnlyList<ProtoMessage> Initializers => initializers;

    /// <summary>A convolution, with the eval-mode <paramref name="batchNorm"/> that follows it folded in.</summary>
    public string Conv(string x, Conv2d conv, BatchNorm2d? batchNorm = null)
    {
        if (conv.padding is null || conv.padding_mode != TorchSharp.PaddingModes.Zeros)
            throw new NotSupportedException("Only explicitly zero-padded convolutions are exported.");
        using var scope = NewDisposeScope();
        var (weight, bias) = batchNorm is null ? (conv.weight!, conv.bias) : BatchNormFolding.Folded(conv, batchNorm);
        List<string> inputs = [Constant("conv_weight", weight)];
        if (bias is not null) inputs.Add(Constant("conv_bias", bias));
        return Op("Conv", [x, .. inputs],
            OnnxAttribute.Of("kernel_shape", conv.kernel_size),
            OnnxAttribute.Of("strides", conv.stride),
            OnnxAttribute.Of("pads", [.. conv.padding, .. conv.padding]),
            OnnxAttribute.Of("dilations", conv.dilation),
            OnnxAttribute.Of("group", conv.groups));
    }

    /// <summary>An eval-mode BatchNorm (running statistics) that no convolution can absorb.</summary>
    public string BatchNorm(string x, BatchNorm2d batchNorm) =>
        Op("BatchNormalization",
            [x, Constant("bn_scale", batchNorm.weight!), Constant("bn_bias", batchNorm.bias!),
             Constant("bn_mean", batchNorm.running_mean!), Constant("bn_var", batchNorm.running_var!)],
            OnnxAttribute.Of("epsilon", (float)batchNorm.eps));

    public string Relu(string x) => Op("Relu", [x]);

    public string Add(string a, string b) => Op("Add", [a, b]);

    /// <summary>Non-overlapping max pooling (PyTorch's default stride = kernel).</summary>
    public string MaxPool(string x, long kernel) =>
        Op("MaxPool", [x], OnnxAttribute.Of("kernel_shape", [kernel, kernel]), OnnxAttribute.Of("strides", [kernel, kernel]));

    /// <summary>Non-overlapping average pooling (PyTorch's default stride = kernel).</summary>
    public string AveragePool(string x, long kernel) =>
        Op("AveragePool", [x], OnnxAttribute.Of("kernel_shape", [kernel, kernel]), OnnxAttribute.Of("strides", [kernel, kernel]));

    public string GlobalAveragePool(string x) => Op("GlobalAveragePool", [x]);

    /// <summary>x[:, :, ::step, ::step].</summary>
    public string EveryNthPixel(string x, long step) =>
        Op("Slice", [x, Int64s("starts", [0, 0]), Int64s("ends", [long.MaxValue, long.MaxValue]), Int64s("axes", [2, 3]), Int64s("steps", [step, step])]);

    /// <summary><paramref name="channels"/> zero channels before and after the input's channels.</summary>
    public string PadChannels(string x, long channels) =>
        Op("Pad", [x, Int64s("pads", [0, channels, 0, 0, 0, channels, 0, 0])]);

    /// <summary>[N, C, H, W] → [N, C·H·W].</summary>
    public string Flatten(string x, string? output = null) => Op("Flatten", [x], output, OnnxAttribute.Of("axis", 1L));

    /// <summary>x·Wᵀ + b.</summary>
    public string Linear(string x, Linear linear, string? output = null) =>
        Op("Gemm", [x, Constant("fc_weight", linear.weight!), Constant("fc_bias", linear.bias!)], output, OnnxAttribute.Of("transB", 1L));

    /// <summary>(x − mean) / std per channel, as x·(1/std) + (−mean/std).</summary>
    public string Normalise(string x, ChannelNormalisation normalisation)
    {
        var c = normalisation.Mean.Length;
        var scale = normalisation.Std.Select(s => 1f / s).ToArray();
        var shift = normalisation.Mean.Zip(normalisation.Std, (m, s) => -m / s).ToArray();
        return Op("Add", [Op("Mul", [x, Floats("normalise_scale", [1, c, 1, 1], scale)]), Floats("normalise_shift", [1, c, 1, 1], shift)]);
    }

    string Op(string opType, IEnumerable<string> inputs, params OnnxAttribute[] attributes) => Op(opType, inputs, null, attributes);

    string Op(string opType, IEnumerable<string> inputs, string? output, params OnnxAttribute[] attributes)
    {
        var name = $"{opType}_{counter++}";
        output ??= name;
        nodes.Add(OnnxProto.Node(opType, name, inputs, [output], attributes));
        return output;
    }

    string Constant(string prefix, Tensor value)
    {
        using var scope = NewDisposeScope();
        var host = value.detach().to(CPU).to_type(ScalarType.Float32).contiguous();
        return Floats(prefix, host.shape, host.data<float>().ToArray());
    }

    string Floats(string prefix, long[] dims, float[] values) =>
        Initializer(prefix, dims, OnnxProto.Float, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    string Int64s(string prefix, long[] values) =>
        Initializer(prefix, [values.Length], OnnxProto.Int64, MemoryMarshal.AsBytes(values.AsSpan()).ToArray());

    string Initializer(string prefix, long[] dims, int dataType, byte[] bytes)
    {
        // raw_data is little-endian by the spec; so is every machine .NET and libtorch run on here.
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX export needs a little-endian machine.");
        var name = $"{prefix}_{counter++}";
        initializers.Add(OnnxProto.Tensor(name, dims, dataType, bytes));
        return name;
    }
}
