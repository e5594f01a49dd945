using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>REFILLED stage 2: cross-entropy plus λ·KL towards the teacher's local classifier.</summary>
public sealed record Stage2Recipe : MultiStepRecipe
{
    public override TrainingStage Stage => TrainingStage.Stage2;
    public override bool NeedsTeacher => true;

    public const double DefaultTau = 2;
    public const double DefaultLambda = 100;
    public const double DefaultLambdaDecay = 1;

    [Hyperparameter("tau", 1e-3, 1e3, Help = "Temperature tau2 of the local-classifier soft labels.")]
    public double Tau { get; init; } = DefaultTau;

    [Hyperparameter("lambda", 0, 1e6, Help = "Weight of the KL term. Default {default} (the released code); 0 gives plain cross-entropy.")]
    public double Lambda { get; init; } = DefaultLambda;

    [Hyperparameter("lambda_decay", 0, 1, Help = "Multiply Lambda by this after every epoch, as the paper-era code reads (0.951229 = e^-0.05; that code " +
        "cannot run as uploaded, see docs/fidelity.md). Default {default}: constant, as the released code.")]
    public double LambdaDecay { get; init; } = DefaultLambdaDecay;

    [Hyperparameter("centers", Help = "Global (class means over the training set's plain images), GlobalAugmented (over one augmented pass of it, " +
        "as the released code) or Local (class means within each batch). Default {default}.")]
    public CentreSource Centers { get; init; } = CentreSource.Global;

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) =>
        new Stage2Objective(teacher!, new Stage2Loss(Tau, Lambda), Centers, BatchSize, LambdaDecay) { TeacherPrecision = teacherPrecision };
}
