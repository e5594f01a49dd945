using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>Teacher pretraining: cross-entropy on the teacher's own classes.</summary>
public sealed record PretrainingRecipe : MultiStepRecipe
{
    public override TrainingStage Stage => TrainingStage.Pretraining;
    public override bool NeedsTeacher => false;
    protected override string Trainee => "teacher";

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) => new CrossEntropyObjective();
}
