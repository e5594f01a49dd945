using Refilled.Engine.Data;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>
/// The CRD baseline (Tian et al., ICLR 2020): cross-entropy plus <paramref name="weight"/> (0.8, as released) times
/// <see cref="CrdLoss"/> between the pooled embeddings. The loss's heads learn with the student; its memory bank
/// holds one entry per training record, so it reads the batch's record indices. Works across tasks and architectures.
/// </summary>
public sealed class CrdObjective(RefilledNetwork teacher, double weight = CrdRecipe.DefaultWeight,
    int negatives = CrdRecipe.DefaultNegatives, int embeddingSize = CrdRecipe.DefaultProjectionSize,
    double temperature = CrdRecipe.DefaultNceTemperature, double momentum = CrdRecipe.DefaultMemoryMomentum)
    : ClassifierObjective, ITrainingObjective
{
    CrdLoss? loss;

    /// <summary>The contrastive loss, built by <see cref="Prepare"/> for the training set.</summary>
    public CrdLoss Loss => loss ?? throw new InvalidOperationException("Prepare the CRD objective with the training data first.");

    public override IEnumerable<TorchSharp.Modules.Parameter> Parameters(RefilledNetwork student) =>
        base.Parameters(student).Concat(Loss.parameters());

    public override void Prepare(RefilledNetwork student, ImageDataset train, TrainingPlan plan)
    {
        teacher.ServeAsTeacherOf(student);
        using var labels = tensor(Enumerable.Range(0, train.Count).Select(i => (long)train.Label(i)).ToArray(), device: CPU);
        loss?.Dispose();
        loss = new CrdLoss(student.EmbeddingSize, teacher.EmbeddingSize, labels, negatives, embeddingSize, temperature, momentum,
            student.parameters().First().device);
    }

    public ObjectiveStep Step(RefilledNetwork student, Batch batch)
    {
        Tensor teacherEmbedding;
        using (no_grad()) teacherEmbedding = teacher.Embed(batch.Images);
        var (logits, embedding) = student.ForwardBoth(batch.Images);
        var total = nn.functional.cross_entropy(logits, batch.Labels) + weight * Loss.Compute(embedding, teacherEmbedding, batch.Indices);
        return new ObjectiveStep(total, CountCorrect(logits, batch.Labels), 0, false);
    }

    public override ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels) =>
        throw new InvalidOperationException("CRD's memory bank is indexed by training record: step it with the whole batch, Step(student, batch).");
}
