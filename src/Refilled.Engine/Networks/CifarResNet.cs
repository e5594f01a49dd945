using Refilled.Engine.Checkpoints.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Refilled.Engine.Networks;

/// <summary>
/// The released CIFAR ResNet-d (d = 6n+2): conv1 (3→16, no bias)-BN-ReLU, three stages of n blocks with
/// 16, 32, 64 channels (stride 2 entering stages 2 and 3), average pool over the feature-map width, fc.
/// </summary>
public sealed class CifarResNet : RefilledNetwork
{
    // Field names are the state_dict keys; their order is the key order.
    readonly Conv2d conv1;
    readonly BatchNorm2d bn1;
    readonly Sequential layer1;
    readonly Sequential layer2;
    readonly Sequential layer3;
    readonly Linear fc;
    bool bn1Folded;

    internal CifarResNet(NetworkSpec spec, int numClasses, int imageSize)
        : base(nameof(CifarResNet), spec, numClasses, 64, [3, imageSize, imageSize])
    {
        var n = (spec.Depth - 2) / 6;
        conv1 = Conv2d(3, 16, 3, stride: 1, padding: 1, bias: false);
        bn1 = BatchNorm2d(16);
        layer1 = Stage(16, 16, n, 1);
        layer2 = Stage(16, 32, n, 2);
        layer3 = Stage(32, 64, n, 2);
        fc = Linear(64, numClasses);
        RegisterComponents();
    }

    protected override Linear Classifier => fc;

    /// <summary>Groups: the outputs of layer1-3.</summary>
    protected override NetworkFeatures ComputeFeatures(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = Autocast.Conv(conv1, ChannelsLast.Of(x));
        h = (bn1Folded ? h : bn1.call(h)).relu_();
        var g1 = layer1.call(h);
        var g2 = layer2.call(g1);
        var g3 = layer3.call(g2);
        // As released: a square kernel of the feature map's width (global for square inputs).
        var width = g3.shape[3];
        return new NetworkFeatures([g1, g2, g3], functional.avg_pool2d(g3, [width, width]).flatten(1)).MoveToOuterDisposeScope();
    }

    internal override string WriteOnnxBackbone(OnnxGraph graph, string input)
    {
        var h = graph.Relu(graph.Conv(input, conv1, bn1Folded ? null : bn1));
        foreach (var block in new[] { layer1, layer2, layer3 }.SelectMany(stage => stage.children()).Cast<CifarResNetBlock>())
            h = block.WriteOnnx(graph, h);
        // The exported input has a fixed size, so the pooling kernel (the last feature map's width) is known now.
        return graph.AveragePool(h, GroupShapes()[^1][2]);
    }

    internal override void FoldBatchNorm()
    {
        BatchNormFolding.Fold(conv1, bn1);
        bn1Folded = true;
        foreach (var block in new[] { layer1, layer2, layer3 }.SelectMany(stage => stage.children()).Cast<CifarResNetBlock>())
            block.FoldBatchNorm();
    }

    static Sequential Stage(int inChannels, int outChannels, int blocks, int stride) =>
        Sequential(Enumerable.Range(0, blocks)
            .Select(i => (Module<Tensor, Tensor>)new CifarResNetBlock(i == 0 ? inChannels : outChannels, outChannels, i == 0 ? stride : 1))
            .ToArray());
}
