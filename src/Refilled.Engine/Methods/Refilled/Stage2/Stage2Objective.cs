using Refilled.Engine.Data;
using Refilled.Engine.Distillation;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>
/// Stage 2: cross-entropy plus λ·KL towards the teacher's local classifier built from class centres; λ is multiplied by
/// <paramref name="lambdaDecay"/> after every epoch (1: constant, as released).
/// </summary>
public sealed class Stage2Objective(RefilledNetwork teacher, Stage2Loss initial, CentreSource centres, int batchSize,
    double lambdaDecay = Stage2Recipe.DefaultLambdaDecay) : ClassifierObjective, ITrainingObjective
{
    Tensor? globalCentres;
    readonly FrozenTeacher frozenTeacher = new(teacher);

    /// <summary>The teacher's forward precision; the losses stay float32 (the student's is the trainer's <see cref="Autocast"/>).</summary>
    public Precision TeacherPrecision { get; init; }
    Stage2Loss? loss;

    public override void Prepare(RefilledNetwork student, ImageDataset train, TrainingPlan plan)
    {
        frozenTeacher.PrepareEmbeddings(student, TeacherPrecision, train, plan);
        if (centres != CentreSource.Local)
            globalCentres = GlobalCentreCache.For(teacher, train, batchSize, augment: centres == CentreSource.GlobalAugmented);
    }

    public override void BeginEpoch(int epoch) =>
        loss = lambdaDecay == 1 ? null : new Stage2Loss(initial.Tau2, initial.Lambda * Math.Pow(lambdaDecay, epoch));

    public void Release() => frozenTeacher.Release();

    public ObjectiveStep Step(RefilledNetwork student, Batch batch) =>
        Step(student, batch.Images, batch.Labels, frozenTeacher.Embed(batch, TeacherPrecision));

    public override ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels) =>
        Step(student, images, labels, frozenTeacher.Get(TeacherPrecision).Embed(images));

    ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels, Tensor teacherRaw)
    {
        var logits = student.forward(images);
        var classes = ClassCentres.ClassesInBatch(labels);
        var rows = centres == CentreSource.Local
            ? ClassCentres.Local(teacherRaw, labels, classes)
            : globalCentres!.index_select(0, classes);
        var result = (loss ?? initial).Compute(logits, labels, teacherRaw, rows, classes);
        return new ObjectiveStep(result.Loss, CountCorrect(logits, labels), 0, false,
            [(LossTerms.CrossEntropy, result.CrossEntropy), (LossTerms.Kl, result.Kl)]);
    }
}
