using Refilled.Engine.Runtime;
using Refilled.Engine.Data;
using Refilled.Engine.Distillation;
using Refilled.Engine.Networks;

namespace Refilled.Engine.Training;

/// <summary>The attention-transfer baseline (Zagoruyko &amp; Komodakis, ICLR 2017), β = 1000 as published.</summary>
public sealed record AttentionTransferRecipe : BaselineRecipe
{
    public override BaselineMethod Method => BaselineMethod.AttentionTransfer;
    public override bool NeedsTeacher => true;

    [Hyperparameter("beta", 0, 1e6)]
    public double Beta { get; init; } = AttentionTransferLoss.DefaultBeta;

    public override void Validate(LabelledNetwork? teacher, LabelledNetwork student, ImageDataset data)
    {
        base.Validate(teacher, student, data);
        RequireGroupSizes(student, teacher!, all: true, "Attention transfer");
    }

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) =>
        new AttentionTransferObjective(teacher!, new AttentionTransferLoss(Beta));
}
