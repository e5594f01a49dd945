using TorchSharp;
using static TorchSharp.torch;
using Refilled.Engine.Distillation;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>
/// Stage-2 loss: CE(z, y) over all classes + λ · (1/B) Σ_i KL(softmax(⟨e_i, c_CB⟩ / τ2) ‖ softmax(z_i[CB] / τ2)),
/// with raw (unnormalised) teacher embeddings e_i and no τ2² factor, as the released code.
/// </summary>
/// <remarks>
/// The centres are passed as the rows for CB, so global centres (computed once per dataset and indexed per batch)
/// and local ones (<see cref="ClassCentres.Local"/>) go through the same path.
/// </remarks>
public sealed class Stage2Loss
{
    public Stage2Loss(double tau2 = Stage2Recipe.DefaultTau, double lambda = Stage2Recipe.DefaultLambda)
    {
        if (!(tau2 > 0)) throw new ArgumentOutOfRangeException(nameof(tau2), tau2, "tau2 must be positive.");
        if (!(lambda >= 0)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "lambda must be non-negative.");
        Tau2 = tau2;
        Lambda = lambda;
    }

    public double Tau2 { get; }

    public double Lambda { get; }

    /// <param name="studentLogits">[B, C] student logits.</param>
    /// <param name="labels">[B] int64 class ids.</param>
    /// <param name="teacherRaw">[B, Dt] raw teacher embeddings (a constant).</param>
    /// <param name="centres">[|CB|, Dt] centre rows of the classes in the batch, in CB order (a constant).</param>
    /// <param name="classesInBatch">[|CB|] ascending class ids present in the batch.</param>
    public Stage2LossResult Compute(Tensor studentLogits, Tensor labels, Tensor teacherRaw, Tensor centres, Tensor classesInBatch)
    {
        using var scope = NewDisposeScope();
        var crossEntropy = nn.functional.cross_entropy(studentLogits, labels);
        Tensor teacherLogits, teacherLog;
        using (no_grad())
        {
            teacherLogits = teacherRaw.detach().matmul(centres.detach().t());
            teacherLog = nn.functional.log_softmax(teacherLogits / Tau2, 1);
        }
        var studentLog = nn.functional.log_softmax(studentLogits.index_select(1, classesInBatch) / Tau2, 1);
        var kl = (teacherLog.exp() * (teacherLog - studentLog)).sum() / studentLogits.shape[0];
        var loss = crossEntropy + Lambda * kl;
        scope.MoveToOuter(loss, crossEntropy, kl, teacherLogits);
        return new Stage2LossResult(loss, crossEntropy, kl, teacherLogits);
    }
}
