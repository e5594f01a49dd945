using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>The Hinton KD baseline: only meaningful when teacher and student share their classes.</summary>
public sealed class KnowledgeDistillationObjective(RefilledNetwork teacher, KnowledgeDistillationLoss loss) : ClassifierObjective
{
    readonly FrozenTeacher frozenTeacher = new(teacher);

    /// <summary>The teacher's forward precision; the losses stay float32 (the student's is the trainer's <see cref="Autocast"/>).</summary>
    public Precision TeacherPrecision { get; init; }

    public override void Prepare(RefilledNetwork student, Data.ImageDataset train, TrainingPlan plan)
    {
        frozenTeacher.Prepare(student, TeacherPrecision);
    }

    public override ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels)
    {
        var teacherLogits = frozenTeacher.Get(TeacherPrecision).Forward(images);
        var logits = student.forward(images);
        var result = loss.Compute(logits, teacherLogits, labels);
        return new ObjectiveStep(result.Loss, CountCorrect(logits, labels), 0, false,
            [(LossTerms.CrossEntropy, result.CrossEntropy), (LossTerms.Kl, result.Kl)]);
    }
}
