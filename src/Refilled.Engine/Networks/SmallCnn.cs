using Refilled.Engine.Checkpoints.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Refilled.Engine.Networks;

/// <summary>
/// A quickstart network for 28×28 grayscale images, small enough to train many students on a CPU in
/// minutes: conv w-BN-ReLU-maxpool, conv 2w-BN-ReLU-maxpool, conv 4w-BN-ReLU, global average pool → 4w, fc.
/// w = 32 (<c>smallcnn</c>, a 128-d embedding) or, e.g., 16 (<c>smallcnn-16</c>, the thinner student, 64-d).
/// </summary>
public sealed class SmallCnn : RefilledNetwork
{
    // Field names are the state_dict keys; their order is the key order.
    readonly Conv2d conv1;
    readonly BatchNorm2d bn1;
    readonly Conv2d conv2;
    readonly BatchNorm2d bn2;
    readonly Conv2d conv3;
    readonly BatchNorm2d bn3;
    readonly Linear fc;
    bool folded;

    internal SmallCnn(NetworkSpec spec, int numClasses, int imageSize)
        : base(nameof(SmallCnn), spec, numClasses, 4 * spec.Width, [1, imageSize, imageSize])
    {
        var w = spec.Width;
        // Bias-free convs: the BN that follows each one has its own shift.
        conv1 = Conv2d(1, w, 3, padding: 1, bias: false);
        bn1 = BatchNorm2d(w);
        conv2 = Conv2d(w, 2 * w, 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(2 * w);
        conv3 = Conv2d(2 * w, 4 * w, 3, padding: 1, bias: false);
        bn3 = BatchNorm2d(4 * w);
        fc = Linear(4 * w, numClasses);
        RegisterComponents();
    }

    protected override Linear Classifier => fc;

    /// <summary>Groups: the output of each conv-BN-ReLU(-maxpool) block: w×14×14, 2w×7×7, 4w×7×7 at 28×28.</summary>
    protected override NetworkFeatures ComputeFeatures(Tensor x)
    {
        using var scope = NewDisposeScope();
        // ReLU after the pooling: max and ReLU commute (values and gradients alike), and ReLU then sees a quarter of them.
        var g1 = functional.max_pool2d(Norm(bn1, Autocast.Conv(conv1, ChannelsLast.Of(x))), 2).relu_();
        var g2 = functional.max_pool2d(Norm(bn2, Autocast.Conv(conv2, g1)), 2).relu_();
        var g3 = Norm(bn3, Autocast.Conv(conv3, g2)).relu_();
        return new NetworkFeatures([g1, g2, g3], functional.adaptive_avg_pool2d(g3, 1).flatten(1)).MoveToOuterDisposeScope();
    }

    internal override string WriteOnnxBackbone(OnnxGraph graph, string input)
    {
        var g1 = graph.MaxPool(graph.Relu(graph.Conv(input, conv1, folded ? null : bn1)), 2);
        var g2 = graph.MaxPool(graph.Relu(graph.Conv(g1, conv2, folded ? null : bn2)), 2);
        return graph.GlobalAveragePool(graph.Relu(graph.Conv(g2, conv3, folded ? null : bn3)));
    }

    Tensor Norm(BatchNorm2d bn, Tensor h) => folded ? h : bn.call(h);

    internal override void FoldBatchNorm()
    {
        BatchNormFolding.Fold(conv1, bn1);
        BatchNormFolding.Fold(conv2, bn2);
        BatchNormFolding.Fold(conv3, bn3);
        folded = true;
    }
}
