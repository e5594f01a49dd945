using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>The Scratch baseline: cross-entropy on the student's few shots, no teacher.</summary>
public sealed record ScratchRecipe : BaselineRecipe
{
    public override BaselineMethod Method => BaselineMethod.Scratch;
    public override bool NeedsTeacher => false;

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) => new CrossEntropyObjective();
}
