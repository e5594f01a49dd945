using Refilled.Engine.Runtime;
using Refilled.Engine.Data;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>
/// The fine-tuning baseline: the teacher's network with a new classifier for the student's classes, all of it trained
/// with cross-entropy (<see cref="FineTune"/>). The requested student architecture is replaced by the teacher's.
/// </summary>
public sealed record FineTuneRecipe : BaselineRecipe
{
    public override BaselineMethod Method => BaselineMethod.FineTune;
    public override bool NeedsTeacher => true;

    public override LabelledNetwork? StudentFrom(LabelledNetwork? teacher, LabelledNetwork student, ImageDataset data) =>
        TeacherBackbone(teacher, student, data);

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) => new CrossEntropyObjective();
}
