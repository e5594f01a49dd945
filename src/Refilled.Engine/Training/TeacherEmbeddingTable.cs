using System.Runtime.CompilerServices;
using Refilled.Engine.Data;
using Refilled.Engine.Experiments;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using static TorchSharp.torch;

namespace Refilled.Engine.Training;

/// <summary>
/// The frozen teacher's embedding of every variant of every training image, computed once when a stage is prepared and
/// looked up at each step instead of a teacher forward. It exists only where that is exact and pays: the training
/// transform has numbered outcomes (MNIST's ±2 px shifts: 25 variants), the table holds no more images than the stage's
/// batches would send through the teacher (it is built in larger batches, and stage 2 usually reuses it), and it fits
/// in <see cref="MaxBytes"/>. A row is the teacher's eval-mode forward of the same normalised image, so a step reads what
/// it would have computed (bit for bit on the AMD EPYC measured: an image's embedding does not depend on the other
/// images of its batch, in batches of two or more; elsewhere at least to rounding, which a test holds).
/// </summary>
/// <remarks>
/// The last table made from each teacher stays with it, so stage 2 reuses stage 1's when the data, transform,
/// precision, device and the teacher's weights (SHA-256) are the same. Its rows are freed when the teacher keeps a newer
/// table and no objective holds it any more, or with the teacher: at most one idle table per teacher.
/// </remarks>
internal sealed class TeacherEmbeddingTable
{
    /// <summary>The largest table built (256 MiB of float32 rows).</summary>
    public const long MaxBytes = 256L << 20;

    /// <summary>Images per teacher forward while tabulating.</summary>
    const int BuildBatchSize = 256;

    static readonly ConditionalWeakTable<RefilledNetwork, Slot> lastOf = new();

    sealed class Slot
    {
        public TeacherEmbeddingTable? Table;
    }

    readonly ImageDataset dataset;
    readonly IFiniteImageTransform transform;
    readonly Precision precision;
    readonly DeviceSpec device;
    readonly string weights;
    readonly Tensor rows;
    // The teacher's slot and every objective that leased the table; the rows go when the last one returns it.
    int holders;

    TeacherEmbeddingTable(ImageDataset dataset, IFiniteImageTransform transform, Precision precision, DeviceSpec device, string weights, Tensor rows)
    {
        this.dataset = dataset;
        this.transform = transform;
        this.precision = precision;
        this.device = device;
        this.weights = weights;
        this.rows = rows;
    }

    /// <summary>Whether a table of <paramref name="train"/>'s variants pays for <paramref name="plan"/>, and fits.</summary>
    public static bool Pays(ImageDataset train, TrainingPlan plan, int embeddingSize) =>
        train.TrainTransform is IFiniteImageTransform transform &&
        (long)train.Count * transform.VariantCount <= plan.Samples &&
        (long)train.Count * transform.VariantCount * embeddingSize * sizeof(float) <= MaxBytes;

    /// <summary>
    /// The table of <paramref name="frozen"/> (a frozen copy of <paramref name="teacher"/>) over <paramref name="train"/>'s
    /// training transform, on <paramref name="device"/>: the teacher's last one when it matches, else a new one; null
    /// where a table does not pay. Give it back with <see cref="Return"/>.
    /// </summary>
    public static TeacherEmbeddingTable? Lease(RefilledNetwork teacher, FrozenNetwork frozen, ImageDataset train, TrainingPlan plan, DeviceSpec device)
    {
        if (!Pays(train, plan, teacher.EmbeddingSize)) return null;
        var transform = (IFiniteImageTransform)train.TrainTransform;
        var weights = ExperimentRunner.WeightsSha256(teacher);
        var slot = lastOf.GetOrCreateValue(teacher);
        lock (slot)
        {
            if (slot.Table is { } last && ReferenceEquals(last.dataset, train) && ReferenceEquals(last.transform, transform) &&
                last.precision == frozen.Precision && last.device == device && last.weights == weights)
            {
                Interlocked.Increment(ref last.holders);
                return last;
            }
            var table = new TeacherEmbeddingTable(train, transform, frozen.Precision, device, weights,
                Tabulate(frozen, teacher.EmbeddingSize, train, transform, device)) { holders = 2 };
            slot.Table?.Return();
            slot.Table = table;
            return table;
        }
    }

    static Tensor Tabulate(FrozenNetwork frozen, int embeddingSize, ImageDataset train, IFiniteImageTransform transform, DeviceSpec device)
    {
        var variants = transform.VariantCount;
        var entries = train.Count * variants;
        var rows = empty([entries, embeddingSize], ScalarType.Float32, device.ToTorch());
        rows.DetachFromDisposeScope();
        // Even chunks, so that none holds a single image (batch-of-one kernels may round differently).
        var chunks = (entries + BuildBatchSize - 1) / BuildBatchSize;
        for (int chunk = 0, start = 0; chunk < chunks; chunk++)
        {
            var count = entries / chunks + (chunk < entries % chunks ? 1 : 0);
            var images = Enumerable.Range(start, count).Select(key => (key / variants, key % variants)).ToArray();
            using (NewDisposeScope())
            using (no_grad())
            {
                var batch = HostBatch.OfVariants(train, transform, images).ToTensors(device.ToTorch());
                rows.narrow(0, start, count).copy_(frozen.Embed(batch.Images));
            }
            start += count;
        }
        return rows;
    }

    /// <summary>The rows of <paramref name="batch"/>'s images, [N, EmbeddingSize]; null for a batch of other data or another transform.</summary>
    public Tensor? Lookup(Batch batch)
    {
        if (batch.Variants is not { } variants || !ReferenceEquals(variants.Dataset, dataset) || !ReferenceEquals(variants.Transform, transform))
            return null;
        using var keys = batch.Indices * transform.VariantCount + variants.Ids;
        return rows.index_select(0, keys);
    }

    /// <summary>Gives a lease back; the last one frees the rows.</summary>
    public void Return()
    {
        if (Interlocked.Decrement(ref holders) == 0) rows.Dispose();
    }
}
