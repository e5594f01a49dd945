using Refilled.Engine.Checkpoints.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Refilled.Engine.Networks;

/// <summary>
/// The released WRN-d-w (d = 6n+4): conv1 (3→16, bias), three stages of n pre-activation blocks with
/// 16w, 32w, 64w channels (stride 2 entering stages 2 and 3), then BN-ReLU-global average pool-fc.
/// </summary>
public sealed class WideResNet : RefilledNetwork
{
    // Field names are the state_dict keys; their order is the key order.
    readonly Conv2d conv1;
    readonly Sequential layer1;
    readonly Sequential layer2;
    readonly Sequential layer3;
    readonly BatchNorm2d bn;
    readonly Linear fc;

    internal WideResNet(NetworkSpec spec, int numClasses, int imageSize, double dropout)
        : base(nameof(WideResNet), spec, numClasses, 64 * spec.Width, [3, imageSize, imageSize])
    {
        var n = (spec.Depth - 4) / 6;
        int[] channels = [16, 16 * spec.Width, 32 * spec.Width, 64 * spec.Width];
        conv1 = Conv2d(3, channels[0], 3, stride: 1, padding: 1, bias: true);
        layer1 = Stage(channels[0], channels[1], n, dropout, 1);
        layer2 = Stage(channels[1], channels[2], n, dropout, 2);
        layer3 = Stage(channels[2], channels[3], n, dropout, 2);
        // As released: momentum 0.9, so running = 0.1·running + 0.9·batch during training.
        bn = BatchNorm2d(channels[3], momentum: 0.9);
        fc = Linear(channels[3], numClasses);
        RegisterComponents();
    }

    protected override Linear Classifier => fc;

    /// <summary>Groups: the outputs of layer1-3 (pre-activation, as the attention-transfer WRN taps them).</summary>
    protected override NetworkFeatures ComputeFeatures(Tensor x)
    {
        using var scope = NewDisposeScope();
        var g1 = layer1.call(Autocast.Conv(conv1, ChannelsLast.Of(x)));
        var g2 = layer2.call(g1);
        var g3 = layer3.call(g2);
        var h = functional.adaptive_avg_pool2d(bn.call(g3).relu_(), 1);
        return new NetworkFeatures([g1, g2, g3], h.flatten(1)).MoveToOuterDisposeScope();
    }

    internal override string WriteOnnxBackbone(OnnxGraph graph, string input)
    {
        var h = graph.Conv(input, conv1);
        foreach (var block in new[] { layer1, layer2, layer3 }.SelectMany(stage => stage.children()).Cast<WideResNetBlock>())
            h = block.WriteOnnx(graph, h);
        return graph.GlobalAveragePool(graph.Relu(graph.BatchNorm(h, bn)));
    }

    // The final bn follows a residual add: only the blocks' inner BatchNorms fold.
    internal override void FoldBatchNorm()
    {
        foreach (var block in new[] { layer1, layer2, layer3 }.SelectMany(stage => stage.children()).Cast<WideResNetBlock>())
            block.FoldBatchNorm();
    }

    static Sequential Stage(int inChannels, int outChannels, int blocks, double dropout, int stride) =>
        Sequential(Enumerable.Range(0, blocks)
            .Select(i => (Module<Tensor, Tensor>)new WideResNetBlock(i == 0 ? inChannels : outChannels, outChannels, dropout, i == 0 ? stride : 1))
            .ToArray());
}
