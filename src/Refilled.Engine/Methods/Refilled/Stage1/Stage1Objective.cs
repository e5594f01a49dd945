using Refilled.Engine.Data;
using Refilled.Engine.Evaluation;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>
/// Stage 1: semi-hard triplets mined in the student's normalised embedding; the student's triplet (or tuple)
/// similarity probabilities are pulled towards the teacher's. Only the backbone learns; validation is NCM accuracy.
/// </summary>
public sealed class Stage1Objective(RefilledNetwork teacher, SemiHardTripletMiner miner, IStage1Loss loss)
    : ITrainingObjective
{
    readonly FrozenTeacher frozenTeacher = new(teacher);

    /// <summary>The teacher's forward precision; the losses stay float32 (the student's is the trainer's <see cref="Autocast"/>).</summary>
    public Precision TeacherPrecision { get; init; }

    public IEnumerable<TorchSharp.Modules.Parameter> Parameters(RefilledNetwork student) => student.BackboneParameters();

    public void Prepare(RefilledNetwork student, ImageDataset train, TrainingPlan plan) =>
        frozenTeacher.PrepareEmbeddings(student, TeacherPrecision, train, plan);

    public void Release() => frozenTeacher.Release();

    public ObjectiveStep Step(RefilledNetwork student, Batch batch) =>
        Step(student, batch.Images, batch.Labels, frozenTeacher.Embed(batch, TeacherPrecision));

    public ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels) =>
        Step(student, images, labels, frozenTeacher.Get(TeacherPrecision).Embed(images));

    ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels, Tensor teacherRaw)
    {
        var teacherEmbedding = nn.functional.normalize(teacherRaw, p: 2, dim: 1);
        var studentEmbedding = nn.functional.normalize(student.Embed(images), p: 2, dim: 1);
        var triplets = miner.Mine(studentEmbedding.detach(), labels);
        var result = loss.Compute(studentEmbedding, teacherEmbedding, triplets);
        return new ObjectiveStep(result.Loss, null, result.TripletCount, result.Skipped, [(LossTerms.Relationship, result.Loss)]);
    }

    /// <summary>Class means from the validation split itself, as the released code's test_ncm: transductive, unlike result.json's ncm_accuracy.</summary>
    public string ValidationMetricName => EpochMetrics.NcmTransductive;

    public double Validate(RefilledNetwork student, ImageDataset validation, int batchSize)
    {
        using var pass = EvaluationPass.Run(student, validation, batchSize);
        return pass.NcmAccuracy(validation.NumClasses);
    }
}
