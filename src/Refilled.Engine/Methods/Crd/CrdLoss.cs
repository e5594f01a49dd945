using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>
/// Contrastive representation distillation, Tian, Krishnan, Isola, "Contrastive Representation Distillation", ICLR 2020,
/// as in the released code (RepDistiller): both embeddings go through a learned linear head to 128-d and are
/// L2-normalised; each sample's positive is the other network's memory entry for the same record, its K negatives are
/// memory entries of records of other classes, drawn uniformly as RepDistiller's CIFAR100InstanceSample does: without
/// replacement, or with replacement when fewer than K records lie outside the sample's class; scores are exp(⟨·,·⟩/T)/Z, with Z
/// fixed from the first batch; the NCE loss −log(P₁/(P₁ + K/N)) − Σ log((K/N)/(Pₖ + K/N)) is taken both ways
/// (student against the teacher's memory and teacher against the student's), and the memories move towards the new
/// embeddings with momentum 0.5. K is 16,384 whatever the data set's size, so the noise term K/N is the released one.
/// </summary>
public sealed class CrdLoss : Module
{
    const double Epsilon = 1e-7;

    // Field names are the state_dict keys.
    readonly Linear studentHead;
    readonly Linear teacherHead;

    // Per-record memories and the sampling tables are state, not parameters.
    readonly Tensor studentMemory;
    readonly Tensor teacherMemory;
    readonly Tensor recordLabels;
    readonly Tensor classCount;
    double? studentNormaliser;
    double? teacherNormaliser;

    /// <param name="studentSize">Width of the student's embedding.</param>
    /// <param name="teacherSize">Width of the teacher's embedding.</param>
    /// <param name="labels">[N] int64 label of every training record, by record index.</param>
    /// <param name="device">Where the heads and memories live: the student's device (default CPU).</param>
    public CrdLoss(long studentSize, long teacherSize, Tensor labels, int negatives = CrdRecipe.DefaultNegatives,
        int embeddingSize = CrdRecipe.DefaultProjectionSize, double temperature = CrdRecipe.DefaultNceTemperature, double momentum = CrdRecipe.DefaultMemoryMomentum,
        Device? device = null)
        : base(nameof(CrdLoss))
    {
        if (labels.dim() != 1 || labels.dtype != ScalarType.Int64) throw new ArgumentException("The record labels must be a 1-d int64 tensor.", nameof(labels));
        if (negatives < 1) throw new ArgumentOutOfRangeException(nameof(negatives), negatives, "CRD needs at least one negative.");
        if (embeddingSize < 1) throw new ArgumentOutOfRangeException(nameof(embeddingSize), embeddingSize, "The CRD embedding needs at least one dimension.");
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be positive.");
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "The momentum must lie in [0, 1).");
        Records = labels.shape[0];
        Temperature = temperature;
        Momentum = momentum;
        using (no_grad())
        {
            recordLabels = labels.detach().to(device ?? CPU).clone();
            // Counted where the labels were given (the CPU from CrdObjective): a data-dependent shape and a value read.
            using var counts = labels.detach().bincount(null, 0);
            classCount = counts.to(device ?? CPU);
            if (Records - counts.max().item<long>() < 1) throw new ArgumentException("CRD needs records of at least two classes (its negatives come from other classes).", nameof(labels));
            Negatives = negatives;
            // As released: uniform in ±1/sqrt(D/3), not normalised.
            var bound = 1 / Math.Sqrt(embeddingSize / 3.0);
            studentMemory = rand(Records, embeddingSize, device: device) * (2 * bound) - bound;
            teacherMemory = rand(Records, embeddingSize, device: device) * (2 * bound) - bound;
            // Owned by this loss for its lifetime, not by any scope that was open when it was built.
            foreach (var state in State) state.DetachFromDisposeScope();
        }
        studentHead = Linear(studentSize, embeddingSize, device: device);
        teacherHead = Linear(teacherSize, embeddingSize, device: device);
        RegisterComponents();
    }

    /// <summary>N, the number of records in the memories.</summary>
    public long Records { get; }

    /// <summary>K, the negatives per sample.</summary>
    public int Negatives { get; }

    public double Temperature { get; }
    public double Momentum { get; }

    /// <param name="student">[B, Ds] student embeddings.</param>
    /// <param name="teacher">[B, Dt] teacher embeddings (constants; the teacher's head still learns).</param>
    /// <param name="records">[B] int64 record index of each sample in the training set.</param>
    public Tensor Compute(Tensor student, Tensor teacher, Tensor records)
    {
        using var scope = NewDisposeScope();
        var s = functional.normalize(studentHead.call(student), p: 2, dim: 1);
        var t = functional.normalize(teacherHead.call(teacher.detach()), p: 2, dim: 1);
        records = records.to(studentMemory.device);
        Tensor contrast;
        using (no_grad()) contrast = cat([records.unsqueeze(1), SampleNegatives(records)], 1);
        var studentScores = Scores(teacherMemory, contrast, s, ref studentNormaliser);
        var teacherScores = Scores(studentMemory, contrast, t, ref teacherNormaliser);
        var loss = Nce(studentScores) + Nce(teacherScores);
        using (no_grad())
        {
            Update(studentMemory, records, s);
            Update(teacherMemory, records, t);
        }
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// [B, K] records drawn uniformly among those whose class differs from each sample's: without replacement where the
    /// class leaves at least K records outside it, with replacement where it leaves fewer (np.random.choice's replace).
    /// </summary>
    internal Tensor SampleNegatives(Tensor records)
    {
        var labels = recordLabels.index_select(0, records);
        var outside = recordLabels.unsqueeze(0).ne(labels.unsqueeze(1)).to_type(ScalarType.Float32);
        var replace = (Records - classCount.index_select(0, labels)).lt(Negatives);
        var negatives = empty(records.shape[0], Negatives, dtype: ScalarType.Int64, device: records.device);
        foreach (var withReplacement in new[] { false, true })
        {
            var rows = (withReplacement ? replace : replace.logical_not()).nonzero().squeeze(1);
            if (rows.shape[0] > 0)
                negatives.index_copy_(0, rows, outside.index_select(0, rows).multinomial(Negatives, withReplacement));
        }
        return negatives;
    }

    /// <summary>[B, K+1] exp(⟨memory entry, embedding⟩/T)/Z, Z = N·mean of the first batch's scores (as released).</summary>
    Tensor Scores(Tensor memory, Tensor contrast, Tensor embedding, ref double? normaliser)
    {
        var entries = memory.index_select(0, contrast.flatten()).view(contrast.shape[0], contrast.shape[1], -1);
        var scores = entries.bmm(embedding.unsqueeze(2)).squeeze(2).div(Temperature).exp();
        normaliser ??= scores.detach().mean().item<float>() * Records;
        return scores / normaliser.Value;
    }

    Tensor Nce(Tensor scores)
    {
        var noise = (double)Negatives / Records;
        var positive = scores.select(1, 0);
        var negative = scores.narrow(1, 1, Negatives);
        var logPositive = (positive / (positive + (noise + Epsilon))).log();
        var logNegative = (noise / (negative + (noise + Epsilon))).log();
        return -(logPositive.sum() + logNegative.sum()) / scores.shape[0];
    }

    void Update(Tensor memory, Tensor records, Tensor embedding)
    {
        var moved = memory.index_select(0, records) * Momentum + embedding.detach() * (1 - Momentum);
        memory.index_copy_(0, records, functional.normalize(moved, p: 2, dim: 1));
    }

    Tensor[] State => [studentMemory, teacherMemory, recordLabels, classCount];

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var state in State) state.Dispose();
        }
        base.Dispose(disposing);
    }
}
