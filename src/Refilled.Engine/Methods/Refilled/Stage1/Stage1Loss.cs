using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>
/// What the two stage-1 losses share: the temperature τ1, the released code's scale, the skipped-batch result and
/// the distances of index pairs.
/// </summary>
public abstract class Stage1Loss : IStage1Loss
{
    private protected Stage1Loss(double tau1, double scale)
    {
        if (!(tau1 > 0)) throw new ArgumentOutOfRangeException(nameof(tau1), tau1, "tau1 must be positive.");
        Tau1 = tau1;
        Scale = scale;
    }

    /// <summary>The loss of a variant: Triplet (the released default) or Tuple (the released merge branch).</summary>
    public static Stage1Loss For(Stage1Variant variant, double tau1) => variant switch
    {
        Stage1Variant.Triplet => new Stage1TripletLoss(tau1),
        Stage1Variant.Tuple => new Stage1TupleLoss(tau1),
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "Unknown relationship variant."),
    };

    public double Tau1 { get; }

    /// <summary>The released code's factor (1000).</summary>
    public double Scale { get; }

    public abstract Stage1LossResult Compute(Tensor studentEmbedding, Tensor teacherEmbedding, MinedTriplets triplets);

    /// <summary>
    /// A zero tied to the student graph: backward works and leaves zero gradients, so no NaN ever reaches an optimiser.
    /// </summary>
    private protected static Stage1LossResult Skipped(Tensor studentEmbedding)
    {
        using var scope = NewDisposeScope();
        return new Stage1LossResult(scope.MoveToOuter(studentEmbedding.sum() * 0.0), 0, true);
    }

    /// <summary>
    /// [B, B] Euclidean distances from exact differences (no |x|²+|y|²−2xy cancellation). Gathering triplet
    /// distances from this matrix costs O(B²·D + T) instead of O(T·D); its backward is zero where a distance is 0.
    /// </summary>
    private protected static Tensor DistanceMatrix(Tensor embedding) =>
        cdist(embedding, embedding, 2.0, compute_mode.donot_use_mm_for_euclid_dist);

    /// <summary>distances[i, j] for index tensors i, j of any (equal) shape.</summary>
    private protected static Tensor Gather(Tensor distances, Tensor from, Tensor to) =>
        distances.take(from * distances.shape[1] + to);
}
