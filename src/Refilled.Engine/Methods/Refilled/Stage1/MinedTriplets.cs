using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>
/// Semi-hard triplets of one batch as three aligned int64 index vectors [T], in lexicographic (a, p, n) order.
/// The tensors belong to the dispose scope that was current when they were created (or to this object outside scopes).
/// </summary>
public sealed class MinedTriplets : IDisposable
{
    public MinedTriplets(Tensor anchors, Tensor positives, Tensor negatives)
    {
        if (anchors.ndim != 1 || !anchors.shape.SequenceEqual(positives.shape) || !anchors.shape.SequenceEqual(negatives.shape))
            throw new ArgumentException("Anchors, positives and negatives must be vectors of the same length.");
        Anchors = anchors;
        Positives = positives;
        Negatives = negatives;
    }

    public Tensor Anchors { get; }
    public Tensor Positives { get; }
    public Tensor Negatives { get; }

    /// <summary>Number of triplets T.</summary>
    public long Count => Anchors.shape[0];

    public bool IsEmpty => Count == 0;

    public void Dispose()
    {
        Anchors.Dispose();
        Positives.Dispose();
        Negatives.Dispose();
    }
}
