using Refilled.Engine.Distillation;
using Refilled.Engine.Networks;
using static TorchSharp.torch;

namespace Refilled.Engine.Training;

/// <summary>The Hinton KD baseline: only meaningful when teacher and student share their classes.</summary>
public sealed class KnowledgeDistillationObjective(RefilledNetwork teacher, HintonKdLoss loss) : ClassifierObjective
{
    public override string Stage => "KnowledgeDistillation";

    public override void Prepare(RefilledNetwork student, Data.ImageDataset train) => teacher.eval();

    public override ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels)
    {
        Tensor teacherLogits;
        using (no_grad()) teacherLogits = teacher.forward(images);
        var logits = student.forward(images);
        var result = loss.Compute(logits, teacherLogits, labels);
        return new ObjectiveStep(result.Loss, CountCorrect(logits, labels), 0, false,
            [(LossTerms.CrossEntropy, result.CrossEntropy), (LossTerms.Kl, result.Kl)]);
    }
}
