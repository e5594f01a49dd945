using TorchSharp;
using static TorchSharp.torch;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>
/// Stage-1 loss of the released "merge" branch: for each (anchor, positive) row with negatives n_1..n_K,
/// logits l = [−d(a,p), −d(a,n_1), …, −d(a,n_K)] / τ1, and
/// loss = scale · mean_rows KL(softmax(l_teacher) ‖ softmax(l_student)).
/// </summary>
/// <remarks>
/// Rows are padded to a common width; a padded slot gets the distance 1e9, as in the released code, so its
/// softmax weight is exactly 0. The softmax/KL arithmetic runs in float64 for the same reason as in
/// <see cref="Stage1TripletLoss"/>.
/// </remarks>
public sealed class Stage1TupleLoss : Stage1Loss
{
    const double PaddedDistance = 1e9;

    public Stage1TupleLoss(double tau1 = Stage1Recipe.DefaultTau, double scale = 1000)
        : base(tau1, scale)
    {
    }

    public override Stage1LossResult Compute(Tensor studentEmbedding, Tensor teacherEmbedding, MinedTriplets triplets)
    {
        if (triplets.IsEmpty) return Skipped(studentEmbedding);

        using var scope = NewDisposeScope();
        var tuples = MinedTuples.Merge(triplets);
        var student = nn.functional.log_softmax(Logits(studentEmbedding, tuples), 1);
        Tensor teacher;
        using (no_grad()) teacher = nn.functional.log_softmax(Logits(teacherEmbedding.detach(), tuples), 1);
        // Padded slots have finite log-probabilities and exactly zero teacher weight, so they add exactly 0.
        var perRow = (teacher.exp() * (teacher - student)).sum(1);
        var loss = (perRow.mean() * Scale).to_type(studentEmbedding.dtype);
        return new Stage1LossResult(scope.MoveToOuter(loss), triplets.Count, false);
    }

    Tensor Logits(Tensor embedding, MinedTuples tuples)
    {
        var distances = DistanceMatrix(embedding);
        var positive = Gather(distances, tuples.Anchors, tuples.Positives).to_type(ScalarType.Float64);
        var negative = Gather(distances, tuples.Anchors.unsqueeze(1), tuples.Negatives).to_type(ScalarType.Float64)
            .masked_fill(tuples.Mask.logical_not(), PaddedDistance);
        return cat([positive.unsqueeze(1), negative], 1).neg() / Tau1;
    }
}
