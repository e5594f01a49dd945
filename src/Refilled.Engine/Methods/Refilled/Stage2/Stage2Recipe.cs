using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>REFILLED stage 2: cross-entropy plus λ·KL towards the teacher's local classifier.</summary>
public sealed record Stage2Recipe : MultiStepRecipe
{
    public override TrainingStage Stage => TrainingStage.Stage2;
    public override bool NeedsTeacher => true;

    [Hyperparameter("tau", 1e-3, 1e3)]
    public double Tau { get; init; } = TrainingDefaults.Tau2;

    [Hyperparameter("lambda", 0, 1e6)]
    public double Lambda { get; init; } = TrainingDefaults.Lambda;

    /// <summary>λ is multiplied by this after every epoch (as the paper-era code reads; it cannot run as uploaded); 1 keeps it constant (the released code).</summary>
    [Hyperparameter("lambda_decay", 0, 1)]
    public double LambdaDecay { get; init; } = TrainingDefaults.LambdaDecay;

    [Hyperparameter("centers")]
    public CentreSource Centers { get; init; } = CentreSource.Global;

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) =>
        new Stage2Objective(teacher!, new Stage2Loss(Tau, Lambda), Centers, BatchSize, LambdaDecay) { TeacherPrecision = teacherPrecision };
}
