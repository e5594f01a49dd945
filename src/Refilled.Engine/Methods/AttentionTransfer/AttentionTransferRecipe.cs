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

    public const double DefaultBeta = 1000;

    [Hyperparameter("beta", 0, 1e6, Help = "Weight of the attention loss. Default {default} (published).")]
    public double Beta { get; init; } = DefaultBeta;

    [Hyperparameter("beta_convention", Help = "Beta multiplies the summed group losses by Beta, as the authors' cifar.py and " +
        "RepDistiller's AT.py; HalfBeta by Beta/2, as the paper's equation 2. Default {default}.")]
    public BetaConvention BetaConvention { get; init; } = BetaConvention.Beta;

    public override void Validate(LabelledNetwork? teacher, LabelledNetwork student, ImageDataset data)
    {
        base.Validate(teacher, student, data);
        RequireGroupSizes(student, teacher!, "Attention transfer", "every group", "they need as many groups, with the same spatial sizes", GroupPairing.AllPair);
    }

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) =>
        new AttentionTransferObjective(teacher!, new AttentionTransferLoss(Beta, BetaConvention));
}
