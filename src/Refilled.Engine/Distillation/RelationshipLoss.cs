using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Distillation;

/// <summary>What the two stage-1 losses share: the skipped-batch result and the distances of index pairs.</summary>
internal static class RelationshipLoss
{
    /// <summary>
    /// A zero tied to the student graph: backward works and leaves zero gradients, so no NaN ever reaches an optimiser.
    /// </summary>
    public static RelationshipLossResult Skipped(Tensor studentEmbedding)
    {
        using var scope = NewDisposeScope();
        return new RelationshipLossResult(scope.MoveToOuter(studentEmbedding.sum() * 0.0), 0, true);
    }

    /// <summary>
    /// [B, B] Euclidean distances from exact differences (no |x|²+|y|²−2xy cancellation). Gathering triplet
    /// distances from this matrix costs O(B²·D + T) instead of O(T·D); its backward is zero where a distance is 0.
    /// </summary>
    public static Tensor DistanceMatrix(Tensor embedding) =>
        cdist(embedding, embedding, 2.0, compute_mode.donot_use_mm_for_euclid_dist);

    /// <summary>distances[i, j] for index tensors i, j of any (equal) shape.</summary>
    public static Tensor Gather(Tensor distances, Tensor from, Tensor to) =>
        distances.take(from * distances.shape[1] + to);
}
