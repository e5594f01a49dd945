using Refilled.Engine.Networks;

namespace Refilled.Engine.Training;

/// <summary>Teacher pretraining: cross-entropy on the teacher's own classes.</summary>
public sealed record PretrainingRecipe : MultiStepRecipe
{
    public override string Stage => "Pretraining";
    public override bool NeedsTeacher => false;

    protected override ITrainingObjective Objective(RefilledNetwork? teacher) => new CrossEntropyObjective(Stage);
}
