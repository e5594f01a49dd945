using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Refilled.Engine.Networks;

/// <summary>
/// A quickstart network for 28×28 grayscale images, small enough to train many students on a CPU in
/// minutes: conv32-BN-ReLU-maxpool, conv64-BN-ReLU-maxpool, conv128-BN-ReLU, global average pool → 128, fc.
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

    internal SmallCnn(NetworkSpec spec, int numClasses, int imageSize)
        : base(nameof(SmallCnn), spec, numClasses, 128, [1, imageSize, imageSize])
    {
        // Bias-free convs: the BN that follows each one has its own shift.
        conv1 = Conv2d(1, 32, 3, padding: 1, bias: false);
        bn1 = BatchNorm2d(32);
        conv2 = Conv2d(32, 64, 3, padding: 1, bias: false);
        bn2 = BatchNorm2d(64);
        conv3 = Conv2d(64, 128, 3, padding: 1, bias: false);
        bn3 = BatchNorm2d(128);
        fc = Linear(128, numClasses);
        RegisterComponents();
    }

    protected override Linear Classifier => fc;

    public override Tensor Embed(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = functional.max_pool2d(functional.relu(bn1.call(conv1.call(x))), 2);
        h = functional.max_pool2d(functional.relu(bn2.call(conv2.call(h))), 2);
        h = functional.relu(bn3.call(conv3.call(h)));
        return functional.adaptive_avg_pool2d(h, 1).flatten(1).MoveToOuterDisposeScope();
    }
}
