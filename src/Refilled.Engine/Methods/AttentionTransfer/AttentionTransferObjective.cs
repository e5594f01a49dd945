using Refilled.Engine.Networks;
using Refilled.Engine.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>
/// The attention-transfer baseline (Zagoruyko &amp; Komodakis, ICLR 2017): cross-entropy plus
/// <see cref="AttentionTransferLoss"/> over the group outputs, student group l against teacher group l. Teacher and
/// student need as many groups with the same spatial sizes (e.g. WRN/ResNet with WRN/ResNet, SmallCnn with SmallCnn).
/// </summary>
public sealed class AttentionTransferObjective(RefilledNetwork teacher, AttentionTransferLoss loss) : ClassifierObjective
{
    public override void Prepare(RefilledNetwork student, Data.ImageDataset train, TrainingPlan plan)
    {
        teacher.ServeAsTeacherOf(student);
        var studentShapes = student.GroupShapes();
        var teacherShapes = teacher.GroupShapes();
        if (!GroupPairing.AllPair(studentShapes, teacherShapes))
            throw new ArgumentException(
                $"Attention transfer pairs the groups of student {student.Spec} ({GroupPairing.Describe(studentShapes)}) and teacher " +
                $"{teacher.Spec} ({GroupPairing.Describe(teacherShapes)}) one to one: they need as many groups, with the same spatial sizes.",
                nameof(student));
    }

    public override ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels)
    {
        NetworkFeatures teacherFeatures;
        using (no_grad()) teacherFeatures = teacher.Features(images);
        var features = student.Features(images);
        var logits = student.Classify(features.Embedding);
        var total = nn.functional.cross_entropy(logits, labels) + loss.Compute(features.Groups, teacherFeatures.Groups);
        return new ObjectiveStep(total, CountCorrect(logits, labels), 0, false);
    }
}
