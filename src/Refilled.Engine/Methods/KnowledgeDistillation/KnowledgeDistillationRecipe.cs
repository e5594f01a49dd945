using Refilled.Engine.Data;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>The Hinton KD baseline: only meaningful with a teacher of the student's classes.</summary>
public sealed record KnowledgeDistillationRecipe : BaselineRecipe
{
    public override BaselineMethod Method => BaselineMethod.KnowledgeDistillation;
    public override bool NeedsTeacher => true;

    [Hyperparameter("temperature", 1e-3, 1e3, Help = "Temperature T of the soft targets.")]
    public double Temperature { get; init; } = 4;

    [Hyperparameter("alpha", 0, 1, Help = "Weight of the soft-target term (1 - Alpha weighs the cross-entropy).")]
    public double Alpha { get; init; } = 0.9;

    public override void Validate(LabelledNetwork? teacher, LabelledNetwork student, ImageDataset data)
    {
        base.Validate(teacher, student, data);
        if (!teacher!.Classes.SequenceEqual(student.Classes))
            throw new StageRuleException("ClassMismatch",
                $"Hinton KD needs a teacher trained on the student's classes; the teacher has {LabelledNetwork.ClassList(teacher.Classes)} " +
                $"and the student {LabelledNetwork.ClassList(student.Classes)}. For a teacher from other classes use REFILLED (stage 1 and stage 2).",
                teacher);
    }

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) =>
        new KnowledgeDistillationObjective(teacher!, new KnowledgeDistillationLoss(Temperature, Alpha)) { TeacherPrecision = teacherPrecision };
}
