using Refilled.Engine.Checkpoints.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Refilled.Engine.Networks;

/// <summary>
/// The released MobileNet v1 with channel multiplier ca: conv1 (3→int(32·ca), stride 2)-BN-ReLU, 13
/// depthwise-separable blocks, adaptive average pool, fc (int(1024·ca) → classes).
/// </summary>
public sealed class MobileNet : RefilledNetwork
{
    // (output channels, stride) before the multiplier; int() truncation is applied as released.
    static readonly (int Channels, int Stride)[] Configuration =
    [
        (64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2),
        (512, 1), (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1),
    ];

    // Field names are the state_dict keys; their order is the key order.
    readonly Conv2d conv1;
    readonly BatchNorm2d bn1;
    readonly Sequential layers;
    readonly Linear fc;
    bool bn1Folded;

    internal MobileNet(NetworkSpec spec, int numClasses, int imageSize)
        : base(nameof(MobileNet), spec, numClasses, Scaled(1024, spec.ChannelMultiplier), [3, imageSize, imageSize])
    {
        var ca = spec.ChannelMultiplier;
        var first = Scaled(32, ca);
        conv1 = Conv2d(3, first, 3, stride: 2, padding: 1, bias: false);
        bn1 = BatchNorm2d(first);
        var blocks = new List<Module<Tensor, Tensor>>();
        var inChannels = first;
        foreach (var (channels, stride) in Configuration)
        {
            var outChannels = Scaled(channels, ca);
            blocks.Add(new MobileNetBlock(inChannels, outChannels, stride));
            inChannels = outChannels;
        }
        layers = Sequential(blocks.ToArray());
        fc = Linear(inChannels, numClasses);
        RegisterComponents();
    }

    protected override Linear Classifier => fc;

    /// <summary>Groups: the last output at each resolution (the input of each stride-2 block, then the final block's).</summary>
    protected override NetworkFeatures ComputeFeatures(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = Autocast.Conv(conv1, ChannelsLast.Of(x));
        h = (bn1Folded ? h : bn1.call(h)).relu_();
        var groups = new List<Tensor>();
        foreach (var (block, (_, stride)) in layers.children().Cast<Module<Tensor, Tensor>>().Zip(Configuration))
        {
            if (stride == 2) groups.Add(h);
            h = block.call(h);
        }
        groups.Add(h);
        return new NetworkFeatures(groups, functional.adaptive_avg_pool2d(h, 1).flatten(1)).MoveToOuterDisposeScope();
    }

    internal override string WriteOnnxBackbone(OnnxGraph graph, string input)
    {
        var h = graph.Relu(graph.Conv(input, conv1, bn1Folded ? null : bn1));
        foreach (var block in layers.children().Cast<MobileNetBlock>()) h = block.WriteOnnx(graph, h);
        return graph.GlobalAveragePool(h);
    }

    internal override void FoldBatchNorm()
    {
        BatchNormFolding.Fold(conv1, bn1);
        bn1Folded = true;
        foreach (var block in layers.children().Cast<MobileNetBlock>()) block.FoldBatchNorm();
    }

    static int Scaled(int channels, double ca) => (int)(channels * ca);
}
