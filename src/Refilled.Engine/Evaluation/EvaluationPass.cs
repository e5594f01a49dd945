using Refilled.Engine.Data;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Evaluation;

/// <summary>
/// A network's embeddings and logits over a whole dataset, taken in eval mode (BatchNorm on running statistics:
/// train-mode BN drops NCM accuracy from 76% to 34% on MNIST), without augmentation and without gradients, through a
/// <see cref="FrozenNetwork"/> copy (BatchNorm folded, channels-last, inference mode). The tensors are on the
/// network's device; the caller owns them (dispose the pass, or let an enclosing dispose scope take them).
/// </summary>
public sealed class EvaluationPass : IDisposable
{
    EvaluationPass(Tensor embeddings, Tensor logits, Tensor labels)
    {
        Embeddings = embeddings;
        Logits = logits;
        Labels = labels;
    }

    public Tensor Embeddings { get; }
    public Tensor Logits { get; }
    public Tensor Labels { get; }

    /// <summary>
    /// Images per forward are capped at <see cref="PixelBudget"/> pixels: at 224 px a batch of 256 ran 2.4× slower
    /// than batches of 32 (its activations no longer fit the caches), while 32 px images keep the caller's batch.
    /// </summary>
    public const long PixelBudget = 32L * 224 * 224;

    /// <summary>The embeddings and logits of <paramref name="network"/> (left untouched) over <paramref name="data"/>.</summary>
    /// <param name="augment">Pass the images through the training augmentation (one draw, seed 0), as the released code's centres.</param>
    public static EvaluationPass Run(RefilledNetwork network, ImageDataset data, int batchSize, Precision precision = Precision.Float32, bool augment = false)
    {
        using var frozen = FrozenNetwork.Of(network, precision);
        using var scope = NewDisposeScope();
        var embeddings = new List<Tensor>();
        var logits = new List<Tensor>();
        var labels = new List<Tensor>();
        var loader = new DataLoader(data, ForwardBatchSize(batchSize, data.ImageShape), shuffle: false, augment: augment, dropLast: false, seed: 0)
        {
            Device = network.Device.ToTorch(),
        };
        foreach (var batch in loader)
        {
            var (batchLogits, batchEmbedding) = frozen.ForwardBoth(batch.Images);
            embeddings.Add(batchEmbedding);
            logits.Add(batchLogits);
            labels.Add(batch.Labels);
        }
        var pass = new EvaluationPass(cat(embeddings, 0), cat(logits, 0), cat(labels, 0));
        pass.Embeddings.MoveToOuterDisposeScope();
        pass.Logits.MoveToOuterDisposeScope();
        pass.Labels.MoveToOuterDisposeScope();
        return pass;
    }

    /// <summary>The requested batch size, or fewer images when they would exceed <see cref="PixelBudget"/>.</summary>
    public static int ForwardBatchSize(int batchSize, long[] imageShape) =>
        (int)Math.Max(1, Math.Min(batchSize, PixelBudget / (imageShape[^2] * imageShape[^1])));

    /// <summary>Fraction of samples whose arg-max logit is their label.</summary>
    public double ClassifierAccuracy()
    {
        using var scope = NewDisposeScope();
        return Logits.argmax(1).eq(Labels).to_type(ScalarType.Float64).mean().item<double>();
    }

    /// <summary>Per-class accuracy of the classifier, indexed by (remapped) label.</summary>
    public double[] PerClassAccuracy(int numClasses)
    {
        using var scope = NewDisposeScope();
        var hits = Logits.argmax(1).eq(Labels).to_type(ScalarType.Float64);
        var correct = zeros(numClasses, dtype: ScalarType.Float64, device: Labels.device).index_add(0, Labels, hits, 1);
        var counts = zeros(numClasses, dtype: ScalarType.Float64, device: Labels.device).index_add(0, Labels, ones_like(hits), 1);
        return (correct / counts.clamp_min(1)).cpu().data<double>().ToArray();
    }

    /// <summary>
    /// Nearest-class-mean accuracy with the centres built from <paramref name="reference"/> (inductive: the training
    /// images), or without one from this same set's labels (transductive, the released Test.py's protocol).
    /// </summary>
    public double NcmAccuracy(int numClasses, EvaluationPass? reference = null)
    {
        using var scope = NewDisposeScope();
        var from = reference ?? this;
        var centres = NearestClassMean.Centres(from.Embeddings, from.Labels, numClasses);
        return NearestClassMean.Accuracy(Embeddings, Labels, centres);
    }

    public void Dispose()
    {
        Embeddings.Dispose();
        Logits.Dispose();
        Labels.Dispose();
    }
}
