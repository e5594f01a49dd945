using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>
/// The knowledge-distillation baseline (Hinton et al.): (1 − α) · CE(z, y) + α · T² · (1/B) Σ_i KL(softmax(t_i/T) ‖ softmax(z_i/T)).
/// </summary>
public sealed class KnowledgeDistillationLoss
{
    public KnowledgeDistillationLoss(double temperature, double alpha)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be positive.");
        if (!(alpha >= 0 && alpha <= 1)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must lie in [0, 1].");
        Temperature = temperature;
        Alpha = alpha;
    }

    public double Temperature { get; }

    public double Alpha { get; }

    /// <param name="studentLogits">[B, C] student logits.</param>
    /// <param name="teacherLogits">[B, C] teacher logits (a constant).</param>
    /// <param name="labels">[B] int64 class ids.</param>
    public KnowledgeDistillationLossResult Compute(Tensor studentLogits, Tensor teacherLogits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        var crossEntropy = nn.functional.cross_entropy(studentLogits, labels);
        Tensor teacherLog;
        using (no_grad()) teacherLog = nn.functional.log_softmax(teacherLogits.detach() / Temperature, 1);
        var studentLog = nn.functional.log_softmax(studentLogits / Temperature, 1);
        var kl = (teacherLog.exp() * (teacherLog - studentLog)).sum() / studentLogits.shape[0];
        var loss = (1 - Alpha) * crossEntropy + Alpha * Temperature * Temperature * kl;
        scope.MoveToOuter(loss, crossEntropy, kl);
        return new KnowledgeDistillationLossResult(loss, crossEntropy, kl);
    }
}
