using Refilled.Engine.Checkpoints.Onnx;
using Refilled.Engine.Networks;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Refilled.Engine.Tests.Runtime;

/// <summary>
/// A convolution-free network for 28×28 grayscale images: libtorch's meta device has no convolution kernel, but it
/// runs linear layers (not even ReLU), so this one can take a whole forward pass there.
/// </summary>
internal sealed class LinearNet : RefilledNetwork
{
    readonly Sequential backbone;
    readonly Linear fc;

    public LinearNet(int numClasses)
        : base(nameof(LinearNet), NetworkSpec.SmallCnn, numClasses, 16, [1, 28, 28])
    {
        backbone = Sequential(Flatten(), Linear(28 * 28, 16));
        fc = Linear(16, numClasses);
        RegisterComponents();
    }

    protected override Linear Classifier => fc;

    // Its spec only names a family; a clone is another LinearNet.
    protected override RefilledNetwork Blank() => new LinearNet(NumClasses).MoveTo(Device);

    // No BatchNorm to fold.
    internal override void FoldBatchNorm()
    {
    }

    internal override string WriteOnnxBackbone(OnnxGraph graph, string input) => graph.Linear(graph.Flatten(input), (Linear)backbone[1]);

    // No convolutional groups: only the embedding.
    protected override NetworkFeatures ComputeFeatures(Tensor x) => new([], backbone.call(x));
}
