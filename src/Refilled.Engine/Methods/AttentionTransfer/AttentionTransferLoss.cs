using TorchSharp;
using static TorchSharp.torch;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>
/// Activation-based attention transfer, Zagoruyko &amp; Komodakis, "Paying More Attention to Attention", ICLR 2017:
/// β · Σ_l mean((at(s_l) − at(t_l))²), with at(f) the L2-normalised channel mean of f², flattened over H·W (p = 2), as the
/// authors' code and RepDistiller compute it; <see cref="BetaConvention.HalfBeta"/> gives the paper's β/2 · Σ_l.
/// Each student/teacher pair must share its spatial size; channel counts may differ.
/// </summary>
public sealed class AttentionTransferLoss
{
    public AttentionTransferLoss(double beta = AttentionTransferRecipe.DefaultBeta, BetaConvention convention = BetaConvention.Beta)
    {
        if (!(beta >= 0)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "β must be non-negative.");
        Beta = beta;
        Convention = convention;
    }

    public double Beta { get; }

    public BetaConvention Convention { get; }

    /// <summary>The factor of the summed per-group losses: β, or β/2.</summary>
    public double Weight => Convention == BetaConvention.HalfBeta ? Beta / 2 : Beta;

    /// <param name="student">Student feature maps, each [B, Cs, H, W].</param>
    /// <param name="teacher">Teacher feature maps paired by position, each [B, Ct, H, W] (constants).</param>
    public Tensor Compute(IReadOnlyList<Tensor> student, IReadOnlyList<Tensor> teacher)
    {
        if (student.Count == 0 || student.Count != teacher.Count)
            throw new ArgumentException($"Attention transfer needs as many teacher as student feature maps, at least one ({student.Count} vs {teacher.Count}).", nameof(teacher));
        using var scope = NewDisposeScope();
        var loss = zeros(1, dtype: student[0].dtype, device: student[0].device).squeeze();
        for (var l = 0; l < student.Count; l++)
        {
            RequireSameSpatialSize(student[l], teacher[l], l);
            Tensor target;
            using (no_grad()) target = Attention(teacher[l].detach());
            loss = loss + (Attention(student[l]) - target).pow(2).mean();
        }
        return (Weight * loss).MoveToOuterDisposeScope();
    }

    /// <summary>[B, H·W] attention map of a [B, C, H, W] feature map.</summary>
    public static Tensor Attention(Tensor features) =>
        nn.functional.normalize(features.pow(2).mean([1]).flatten(1), p: 2, dim: 1);

    static void RequireSameSpatialSize(Tensor student, Tensor teacher, int pair)
    {
        if (student.dim() != 4 || teacher.dim() != 4 || student.shape[0] != teacher.shape[0]
            || student.shape[2] != teacher.shape[2] || student.shape[3] != teacher.shape[3])
            throw new ArgumentException(
                $"Attention transfer pair {pair}: student [{string.Join(", ", student.shape)}] and teacher [{string.Join(", ", teacher.shape)}] " +
                "must be [B, C, H, W] with the same B, H and W.", nameof(teacher));
    }
}
