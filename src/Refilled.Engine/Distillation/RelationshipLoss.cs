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

    /// <summary>||e_i − e_j|| for index vectors i, j of any (equal) shape.</summary>
    public static Tensor Distances(Tensor embedding, Tensor from, Tensor to)
    {
        var shape = from.shape.Append(embedding.shape[1]).ToArray();
        var difference = embedding.index_select(0, from.flatten()).view(shape) - embedding.index_select(0, to.flatten()).view(shape);
        return linalg.vector_norm(difference, 2, [-1L]);
    }
}
