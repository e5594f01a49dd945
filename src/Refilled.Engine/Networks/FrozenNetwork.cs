using Refilled.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Networks;

/// <summary>
/// The fast eval-mode forward of a network that does not learn (the teacher during distillation, a student being
/// measured): a private copy with each BatchNorm that follows a convolution folded into it, channels-last weights,
/// optionally in bfloat16, run under inference mode. Outputs are float32 tensors outside inference mode, so losses
/// that are differentiated may use them. The source network is never touched: its state_dict and checkpoints stay
/// as they were. Build it once per stage, not per batch (a copy of the weights).
/// </summary>
public sealed class FrozenNetwork : IDisposable
{
    readonly RefilledNetwork copy;

    FrozenNetwork(RefilledNetwork copy, Precision precision)
    {
        this.copy = copy;
        Precision = precision;
    }

    public Precision Precision { get; }

    /// <summary>A frozen copy of <paramref name="network"/>'s current weights and running statistics.</summary>
    /// <exception cref="NotSupportedException">BFloat16 on a CPU without native bfloat16 arithmetic.</exception>
    public static FrozenNetwork Of(RefilledNetwork network, Precision precision = Precision.Float32)
    {
        BFloat16Support.EnsureSupported(precision);
        var copy = network.Clone();
        copy.eval();
        using (no_grad())
        {
            foreach (var parameter in copy.parameters()) parameter.requires_grad = false;
            copy.FoldBatchNorm();
            if (precision == Precision.BFloat16) copy.bfloat16();
            foreach (var weight in copy.parameters().Where(p => p.dim() == 4))
            {
                using var scope = NewDisposeScope();
                weight.set_(ChannelsLast.Of(weight));
            }
        }
        return new FrozenNetwork(copy, precision);
    }

    /// <summary>The pooled embedding, [N, EmbeddingSize] float32.</summary>
    public Tensor Embed(Tensor images) => Run(images, copy.Embed);

    /// <summary>The logits, [N, classes] float32.</summary>
    public Tensor Forward(Tensor images) => Run(images, copy.forward);

    public (Tensor Logits, Tensor Embedding) ForwardBoth(Tensor images)
    {
        var embedding = Embed(images);
        return (Run(embedding, copy.Classify), embedding);
    }

    Tensor Run(Tensor images, Func<Tensor, Tensor> forward)
    {
        using var scope = NewDisposeScope();
        Tensor output;
        using (inference_mode()) output = forward(Input(images));
        return scope.MoveToOuter(Output(output));
    }

    Tensor Input(Tensor x) => Precision == Precision.BFloat16 ? x.to_type(ScalarType.BFloat16) : x;

    // Inference tensors cannot be saved for backward: the float32 result is made outside inference mode.
    static Tensor Output(Tensor y) => y.dtype == ScalarType.Float32 ? y.clone() : y.to_type(ScalarType.Float32);

    public void Dispose() => copy.Dispose();
}
