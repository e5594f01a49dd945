using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>REFILLED stage 1: the student's embedding learns the teacher's triplet (or tuple) relationships.</summary>
public sealed record Stage1Recipe : StageRecipe
{
    public override TrainingStage Stage => TrainingStage.Stage1;
    public override bool NeedsTeacher => true;

    [Hyperparameter("tau", 1e-3, 1e3)]
    public double Tau { get; init; } = TrainingDefaults.Tau1;

    [Hyperparameter("margin", 1e-6, 2)]
    public double Margin { get; init; } = TrainingDefaults.Margin;

    [Hyperparameter("variant")]
    public Stage1Variant Variant { get; init; } = Stage1Variant.Triplet;

    public override LearningRateSchedule Schedule() => LearningRateSchedule.ReleasedCosine(LearningRate, Epochs);

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) =>
        new Stage1Objective(teacher!, new SemiHardTripletMiner(Margin), Stage1Loss.For(Variant, Tau)) { TeacherPrecision = teacherPrecision };
}
