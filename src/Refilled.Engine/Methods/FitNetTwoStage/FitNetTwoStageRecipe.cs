using Refilled.Engine.Runtime;
using Refilled.Engine.Data;
using Refilled.Engine.Distillation;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>
/// The two-stage FitNet baseline (Romero et al., ICLR 2015) in two phases that share the epoch budget: first
/// <see cref="HintFraction"/> of the epochs of hint training (<see cref="FitNetHintObjective"/>, the middle group of
/// each network), then the rest with cross-entropy. Each phase runs the multi-step schedule over its own epochs;
/// explicit milestones count within the classification phase.
/// </summary>
public sealed record FitNetTwoStageRecipe : BaselineRecipe
{
    public override BaselineMethod Method => BaselineMethod.FitNetTwoStage;
    public override bool NeedsTeacher => true;

    [Hyperparameter("hint_fraction", 0.01, 0.99, Help = "The share of the epochs spent on hint training before classification. Default {default} " +
        "(the paper trains hints to convergence; this is our fixed-budget choice).")]
    public double HintFraction { get; init; } = 0.25;

    /// <summary>Set on the phases <see cref="Phases"/> returns.</summary>
    bool Hinting { get; init; }

    public override TrainingStage Stage => Hinting ? TrainingStage.FitNetHint : TrainingStage.FitNetTwoStage;

    /// <summary>The hint phase's epochs: at least one, and at least one left for classification.</summary>
    public int HintEpochs => Math.Clamp((int)Math.Round(HintFraction * Epochs), 1, Math.Max(1, Epochs - 1));

    public override IReadOnlyList<StageRecipe> Phases() => Epochs < 2
        ? throw new StageRuleException("TooFewEpochs", $"Two-stage FitNet needs at least 2 epochs (one of hints, one of classification), not {Epochs}.", this)
        : [this with { Hinting = true, Epochs = HintEpochs, Milestones = null }, this with { Epochs = Epochs - HintEpochs }];

    public override void Validate(LabelledNetwork? teacher, LabelledNetwork student, ImageDataset data)
    {
        base.Validate(teacher, student, data);
        RequireGroupSizes(student, teacher!, "Two-stage FitNet", "the middle group", FitNetHintLoss.Rule(FitNetHintRegressor.Conv1x1),
            (s, t) => FitNetHint.Fits(FitNetHintRegressor.Conv1x1, s, t));
    }

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) =>
        Hinting ? new FitNetHintObjective(teacher!) : new CrossEntropyObjective();
}
