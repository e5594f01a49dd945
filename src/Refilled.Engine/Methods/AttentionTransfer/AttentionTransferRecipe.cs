using Refilled.Engine.Runtime;
using Refilled.Engine.Data;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>
/// The attention-transfer baseline (Zagoruyko &amp; Komodakis, ICLR 2017), β = 1000 as published, weighing the summed
/// group losses by β as the authors' code and RepDistiller do (<see cref="BetaConvention"/>; the paper writes β/2).
/// </summary>
public sealed record AttentionTransferRecipe : BaselineRecipe
{
    public override BaselineMethod Method => BaselineMethod.AttentionTransfer;
    public override bool NeedsTeacher => true;

    [Hyperparameter("beta", 0, 1e6)]
    public double Beta { get; init; } = AttentionTransferLoss.DefaultBeta;

    [Hyperparameter("beta_convention")]
    public BetaConvention BetaConvention { get; init; } = BetaConvention.Beta;

    public override void Validate(LabelledNetwork? teacher, LabelledNetwork student, ImageDataset data)
    {
        base.Validate(teacher, student, data);
        RequireGroupSizes(student, teacher!, "Attention transfer", "every group", "they need as many groups, with the same spatial sizes", GroupPairing.AllPair);
    }

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) =>
        new AttentionTransferObjective(teacher!, new AttentionTransferLoss(Beta, BetaConvention));
}
