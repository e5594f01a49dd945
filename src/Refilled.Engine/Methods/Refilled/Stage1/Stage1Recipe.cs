using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>REFILLED stage 1: the student's embedding learns the teacher's triplet (or tuple) relationships.</summary>
public sealed record Stage1Recipe : StageRecipe
{
    public override TrainingStage Stage => TrainingStage.Stage1;
    public override bool NeedsTeacher => true;

    public const double DefaultTau = 4;
    public const double DefaultMargin = 0.2;

    [Hyperparameter("tau", 1e-3, 1e3, Help = "Temperature tau1 of the relationship probabilities.")]
    public double Tau { get; init; } = DefaultTau;

    [Hyperparameter("margin", 1e-6, 2, Help = "Semi-hard mining margin.")]
    public double Margin { get; init; } = DefaultMargin;

    [Hyperparameter("variant", Help = "Triplet (binary KL per triplet, the released code) or Tuple (softmax over each anchor-positive pair and all its " +
        "semi-hard negatives). Default {default}.")]
    public Stage1Variant Variant { get; init; } = Stage1Variant.Triplet;

    public override LearningRateSchedule Schedule() => LearningRateSchedule.ReleasedCosine(LearningRate, Epochs);

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) =>
        new Stage1Objective(teacher!, new SemiHardTripletMiner(Margin), Stage1Loss.For(Variant, Tau)) { TeacherPrecision = teacherPrecision };
}
