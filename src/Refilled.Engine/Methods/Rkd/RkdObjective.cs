using Refilled.Engine.Networks;
using Refilled.Engine.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>
/// The RKD baseline (Park et al., CVPR 2019): cross-entropy plus <see cref="RkdLoss"/> between the student's and the
/// teacher's pooled embeddings. Works across tasks and architectures (embedding widths may differ).
/// </summary>
public sealed class RkdObjective(RefilledNetwork teacher, RkdLoss loss) : ClassifierObjective
{
    public override void Prepare(RefilledNetwork student, Data.ImageDataset train, TrainingPlan plan) => teacher.ServeAsTeacherOf(student);

    public override ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels)
    {
        Tensor teacherEmbedding;
        using (no_grad()) teacherEmbedding = teacher.Embed(images);
        var (logits, embedding) = student.ForwardBoth(images);
        var total = nn.functional.cross_entropy(logits, labels) + loss.Compute(embedding, teacherEmbedding).Loss;
        return new ObjectiveStep(total, CountCorrect(logits, labels), 0, false);
    }
}
