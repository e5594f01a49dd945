using Refilled.Engine.Runtime;
using Refilled.Engine.Data;
using Refilled.Engine.Distillation;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>
/// The FitNet baseline as RepDistiller runs it (<see cref="FitNetObjective"/>): one stage of cross-entropy plus
/// <see cref="HintWeight"/> × the hint loss through a ConvReg regressor. Romero et al.'s two stages are
/// <see cref="FitNetTwoStageRecipe"/>.
/// </summary>
public sealed record FitNetRecipe : BaselineRecipe
{
    public override BaselineMethod Method => BaselineMethod.FitNet;
    public override bool NeedsTeacher => true;

    public const double DefaultHintWeight = 100;

    [Hyperparameter("hint_weight", 0, 1e6, Help = "Weight of the hint loss. Default {default} (RepDistiller's run_cifar_distill.sh, -b 100).")]
    public double HintWeight { get; init; } = DefaultHintWeight;

    public override void Validate(LabelledNetwork? teacher, LabelledNetwork student, ImageDataset data)
    {
        base.Validate(teacher, student, data);
        RequireGroupSizes(student, teacher!, "FitNet", "the middle group", FitNetHintLoss.Rule(FitNetHintRegressor.ConvBatchNormRelu),
            (s, t) => FitNetHint.Fits(FitNetHintRegressor.ConvBatchNormRelu, s, t));
    }

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) =>
        new FitNetObjective(teacher!, HintWeight);
}
