using Refilled.Engine.Checkpoints.Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Refilled.Engine.Networks;

/// <summary>
/// The released post-activation block: conv3×3(stride s)-BN-ReLU-conv3×3-BN, plus the option-A shortcut,
/// then ReLU. Convs have no bias.
/// </summary>
/// <remarks>Field names are the state_dict keys; their order is the key order.</remarks>
internal sealed class CifarResNetBlock : Module<Tensor, Tensor>
{
    readonly Conv2d conv1;
    readonly BatchNorm2d bn1;
    readonly Conv2d conv2;
    readonly BatchNorm2d bn2;
    readonly bool padShortcut;
    readonly long padChannels;
    bool folded;

    public CifarResNetBlock(int inChannels, int outChannels, int stride) : base(nameof(CifarResNetBlock))
    {
        conv1 = Conv2d(inChannels, outChannels, 3, stride: stride, padding: 1, bias: false);
        bn1 = BatchNorm2d(outChannels);
        conv2 = Conv2d(outChannels, outChannels, 3, stride: 1, padding: 1, bias: false);
        bn2 = BatchNorm2d(outChannels);
        padShortcut = stride != 1 || inChannels != outChannels;
        padChannels = outChannels / 4;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = Autocast.Conv(conv1, x);
        h = (folded ? h : bn1.call(h)).relu_();
        h = Autocast.Conv(conv2, h);
        if (!folded) h = bn2.call(h);
        return h.add_(Shortcut(x)).relu_().MoveToOuterDisposeScope();
    }

    internal string WriteOnnx(OnnxGraph graph, string x)
    {
        var h = graph.Relu(graph.Conv(x, conv1, folded ? null : bn1));
        h = graph.Conv(h, conv2, folded ? null : bn2);
        var shortcut = padShortcut ? graph.PadChannels(graph.EveryNthPixel(x, 2), padChannels) : x;
        return graph.Relu(graph.Add(h, shortcut));
    }

    internal void FoldBatchNorm()
    {
        BatchNormFolding.Fold(conv1, bn1);
        BatchNormFolding.Fold(conv2, bn2);
        folded = true;
    }

    // Option A as released: every 2nd row/column (whatever the stride), then c_out/4 zero channels on
    // BOTH sides, so the input channels land in the middle.
    Tensor Shortcut(Tensor x)
    {
        if (!padShortcut) return x;
        var every2nd = TensorIndex.Slice(null, null, 2);
        var sub = x.index(TensorIndex.Colon, TensorIndex.Colon, every2nd, every2nd);
        return functional.pad(sub, [0, 0, 0, 0, padChannels, padChannels]);
    }
}
