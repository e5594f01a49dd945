using TorchSharp;
using static TorchSharp.torch;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>
/// Semi-hard triplet miner, equal to pytorch_metric_learning's TripletMarginMiner(margin, "semihard"):
/// keeps every (a, p, n) with y_a = y_p, a ≠ p, y_n ≠ y_a and 0 &lt; d(a,n) − d(a,p) ≤ margin, where d is the
/// Euclidean distance between L2-normalised embeddings.
/// </summary>
/// <remarks>
/// Fully vectorised: one [B,B] distance matrix, then a [P,B] matrix of margins for the P same-class (a, p) pairs,
/// reduced to a boolean mask. Peak extra memory is about 6·P·B bytes (the float32 margins plus two boolean masks)
/// plus 48 bytes per mined triplet while the indices are split; with C balanced classes P ≈ B²/C, so at B = 256 and
/// 10 classes that is ~10 MB plus the triplets (~0.7 M of them, ~34 MB) — a tenth of the full [B,B,B] cube.
/// </remarks>
public sealed class SemiHardTripletMiner
{
    public SemiHardTripletMiner(double margin = Stage1Recipe.DefaultMargin)
    {
        if (!(margin > 0)) throw new ArgumentOutOfRangeException(nameof(margin), margin, "The margin must be positive.");
        Margin = margin;
    }

    public double Margin { get; }

    /// <summary>Mines the semi-hard triplets of a batch. No gradient is recorded.</summary>
    /// <param name="embeddings">[B, D] embeddings (raw or normalised; they are L2-normalised here).</param>
    /// <param name="labels">[B] integer class ids.</param>
    public MinedTriplets Mine(Tensor embeddings, Tensor labels)
    {
        if (embeddings.ndim != 2 || labels.ndim != 1 || labels.shape[0] != embeddings.shape[0])
            throw new ArgumentException("Expected embeddings [B, D] and labels [B].");

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var b = labels.shape[0];
        var x = nn.functional.normalize(embeddings.detach(), 2.0, 1, 1e-12);
        // Exact differences, not |x|²+|y|²−2xy: the cancellation there would move triplets across the boundaries.
        var distances = cdist(x, x, 2.0, compute_mode.donot_use_mm_for_euclid_dist);
        var sameClass = labels.unsqueeze(0).eq(labels.unsqueeze(1));
        var positivePair = sameClass.logical_and(eye(b, dtype: ScalarType.Bool, device: labels.device).logical_not());

        // Only (a, p) pairs of one class can form a triplet: a [pairs, B] matrix of margins d(a,n) − d(a,p) instead of
        // the whole [B, B, B] cube. nonzero lists the pairs, then their negatives, in row-major order, which is the
        // lexicographic (a, p, n) order.
        var pairs = positivePair.nonzero();
        var anchors = pairs.select(1, 0);
        var positives = pairs.select(1, 1);
        var fromAnchor = distances.index_select(0, anchors);                     // [pairs, B]: d(a, n)
        var margins = fromAnchor - fromAnchor.gather(1, positives.unsqueeze(1));  // − d(a, p)
        var keep = margins.gt(0).logical_and_(margins.le(Margin)).logical_and_(sameClass.index_select(0, anchors).logical_not());
        var kept = keep.nonzero();
        var pair = kept.select(1, 0);
        var result = new MinedTriplets(
            anchors.index_select(0, pair), positives.index_select(0, pair), kept.select(1, 1).contiguous());
        scope.MoveToOuter(result.Anchors, result.Positives, result.Negatives);
        return result;
    }
}
