using Refilled.Engine.Data;
using Refilled.Engine.Distillation;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using static TorchSharp.torch;

namespace Refilled.Engine.Training;

/// <summary>Which class centres the teacher's local classifier uses in stage 2.</summary>
public enum CentreSource
{
    /// <summary>Class means over the whole training set, computed once (the released code).</summary>
    Global,
    /// <summary>Class means within each batch (the CVPR paper's description).</summary>
    Local,
}

/// <summary>Stage 2: cross-entropy plus λ·KL towards the teacher's local classifier built from class centres.</summary>
public sealed class LocalClassifierObjective(RefilledNetwork teacher, LocalClassifierLoss loss, CentreSource centres, int batchSize)
    : ClassifierObjective
{
    Tensor? globalCentres;
    FrozenNetwork? frozenTeacher;

    /// <summary>The teacher's forward precision; losses, the student and its gradients stay float32.</summary>
    public Precision TeacherPrecision { get; init; }

    public override string Stage => "Stage2";

    public override void Prepare(RefilledNetwork student, ImageDataset train)
    {
        frozenTeacher?.Dispose();
        frozenTeacher = teacher.FreezeAsTeacherOf(student, TeacherPrecision);
        if (centres == CentreSource.Global) globalCentres = GlobalCentreCache.For(teacher, train, batchSize);
    }

    public override ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels)
    {
        frozenTeacher ??= FrozenNetwork.Of(teacher, TeacherPrecision);
        var teacherRaw = frozenTeacher.Embed(images);
        var logits = student.forward(images);
        var classes = ClassCentres.ClassesInBatch(labels);
        var rows = centres == CentreSource.Global
            ? globalCentres!.index_select(0, classes)
            : ClassCentres.Local(teacherRaw, labels, classes);
        var result = loss.Compute(logits, labels, teacherRaw, rows, classes);
        return new ObjectiveStep(result.Loss, CountCorrect(logits, labels), 0, false);
    }
}
