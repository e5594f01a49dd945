using Refilled.Engine.Checkpoints.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Refilled.Engine.Networks;

/// <summary>
/// Depthwise conv3×3(stride s)-BN-ReLU, pointwise conv1×1-BN-ReLU; no bias, no residual (as released).
/// </summary>
/// <remarks>Field names are the state_dict keys; their order is the key order.</remarks>
internal sealed class MobileNetBlock : Module<Tensor, Tensor>
{
    readonly Conv2d conv1;
    readonly BatchNorm2d bn1;
    readonly Conv2d conv2;
    readonly BatchNorm2d bn2;
    bool folded;

    public MobileNetBlock(int inChannels, int outChannels, int stride) : base(nameof(MobileNetBlock))
    {
        conv1 = Conv2d(inChannels, inChannels, 3, stride: stride, padding: 1, groups: inChannels, bias: false);
        bn1 = BatchNorm2d(inChannels);
        conv2 = Conv2d(inChannels, outChannels, 1, stride: 1, padding: 0L, bias: false);
        bn2 = BatchNorm2d(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = Autocast.Conv(conv1, x);
        h = (folded ? h : bn1.call(h)).relu_();
        h = Autocast.Conv(conv2, h);
        return (folded ? h : bn2.call(h)).relu_().MoveToOuterDisposeScope();
    }

    /// <summary>The depthwise conv1 is a grouped Conv node (group = channels).</summary>
    internal string WriteOnnx(OnnxGraph graph, string x)
    {
        var h = graph.Relu(graph.Conv(x, conv1, folded ? null : bn1));
        return graph.Relu(graph.Conv(h, conv2, folded ? null : bn2));
    }

    internal void FoldBatchNorm()
    {
        BatchNormFolding.Fold(conv1, bn1);
        BatchNormFolding.Fold(conv2, bn2);
        folded = true;
    }
}
