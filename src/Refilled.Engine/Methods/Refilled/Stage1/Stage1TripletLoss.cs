using TorchSharp;
using static TorchSharp.torch;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>
/// Stage-1 loss of the released default branch: with P = σ((d(a,n) − d(a,p)) / τ1) per triplet,
/// loss = (scale / 2) · mean_i KL_Bernoulli(P_teacher,i ‖ P_student,i), i.e. 500 × the mean binary KL for scale 1000.
/// </summary>
/// <remarks>
/// The halving is deliberate: the released code concatenates [P, 1 − P] along dim 0 into a [2T, 1] column and
/// KLDivLoss("batchmean") divides by 2T, not T. Reproducing it keeps the published hyper-parameters valid.
/// The per-triplet arithmetic after the distances runs in float64: the binary KL is a small difference of nearly
/// equal terms, and float32 there costs about three digits of the loss.
/// </remarks>
public sealed class Stage1TripletLoss : Stage1Loss
{
    public Stage1TripletLoss(double tau1 = Stage1Recipe.DefaultTau, double scale = 1000)
        : base(tau1, scale)
    {
    }

    public override Stage1LossResult Compute(Tensor studentEmbedding, Tensor teacherEmbedding, MinedTriplets triplets)
    {
        if (triplets.IsEmpty) return Skipped(studentEmbedding);

        using var scope = NewDisposeScope();
        var student = Logits(studentEmbedding, triplets);
        Tensor teacher;
        using (no_grad()) teacher = Logits(teacherEmbedding.detach(), triplets);
        var teacherProbability = teacher.sigmoid();
        // log P = logσ(x) and log(1 − P) = logσ(−x), without forming 1 − P.
        var kl = teacherProbability * (nn.functional.logsigmoid(teacher) - nn.functional.logsigmoid(student))
                 + (1 - teacherProbability) * (nn.functional.logsigmoid(-teacher) - nn.functional.logsigmoid(-student));
        var loss = (kl.mean() * (Scale / 2)).to_type(studentEmbedding.dtype);
        return new Stage1LossResult(scope.MoveToOuter(loss), triplets.Count, false);
    }

    Tensor Logits(Tensor embedding, MinedTriplets triplets)
    {
        var distances = DistanceMatrix(embedding);
        var positive = Gather(distances, triplets.Anchors, triplets.Positives).to_type(ScalarType.Float64);
        var negative = Gather(distances, triplets.Anchors, triplets.Negatives).to_type(ScalarType.Float64);
        return (negative - positive) / Tau1;
    }
}
