using Refilled.Engine.Checkpoints.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Refilled.Engine.Networks;

/// <summary>
/// The released pre-activation block: BN-ReLU-conv3×3(stride 1)-BN-ReLU-dropout-conv3×3(stride s), plus a
/// shortcut of the block's raw input (identity, or a 1×1 conv with bias when the shape changes).
/// </summary>
/// <remarks>Field names are the state_dict keys; their order is the key order.</remarks>
internal sealed class WideResNetBlock : Module<Tensor, Tensor>
{
    readonly BatchNorm2d bn1;
    readonly Conv2d conv1;
    readonly double dropoutRate;
    readonly BatchNorm2d bn2;
    readonly Conv2d conv2;
    readonly Sequential? shortcut;
    // bn2 lives in conv1 (a frozen copy); bn1 follows the previous block's residual add and cannot be folded.
    bool bn2Folded;

    public WideResNetBlock(int inChannels, int outChannels, double dropoutRate, int stride) : base(nameof(WideResNetBlock))
    {
        bn1 = BatchNorm2d(inChannels);
        conv1 = Conv2d(inChannels, outChannels, 3, stride: 1, padding: 1, bias: true);
        if (dropoutRate is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(dropoutRate), dropoutRate, "Dropout is a rate in [0, 1).");
        this.dropoutRate = dropoutRate;
        bn2 = BatchNorm2d(outChannels);
        conv2 = Conv2d(outChannels, outChannels, 3, stride: stride, padding: 1, bias: true);
        if (stride != 1 || inChannels != outChannels)
            shortcut = Sequential(Conv2d(inChannels, outChannels, 1, stride: stride, bias: true));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = Autocast.Conv(conv1, bn1.call(x).relu_());
        h = Autocast.Conv(conv2, UniformMaskDropout.Apply((bn2Folded ? h : bn2.call(h)).relu_(), dropoutRate, training));
        var residual = shortcut is null ? x : Autocast.Conv((Conv2d)shortcut[0], x);
        return h.add_(residual).MoveToOuterDisposeScope();
    }

    /// <summary>The eval-mode forward: bn2 folded into conv1, no dropout.</summary>
    internal string WriteOnnx(OnnxGraph graph, string x)
    {
        var h = graph.Conv(graph.Relu(graph.BatchNorm(x, bn1)), conv1, bn2Folded ? null : bn2);
        h = graph.Conv(graph.Relu(h), conv2);
        return graph.Add(h, shortcut is null ? x : graph.Conv(x, (Conv2d)shortcut[0]));
    }

    internal void FoldBatchNorm()
    {
        BatchNormFolding.Fold(conv1, bn2);
        bn2Folded = true;
    }
}
