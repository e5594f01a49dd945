using static TorchSharp.torch;

namespace Refilled.Engine.Data;

/// <summary>
/// One split of a dataset, decoded into memory, after the class filter and K-shot draw. Labels are remapped to
/// 0..NumClasses−1; <see cref="Classes"/> says which original class each remapped label means.
/// </summary>
public sealed class ImageDataset
{
    readonly StoredImage[] images;
    readonly int[] labels;

    internal ImageDataset(string name, DatasetSplit split, StoredImage[] images, int[] labels, int[] sourceIndices,
        IReadOnlyList<int> classes, IReadOnlyList<string>? classNames, IImageTransform trainTransform, IImageTransform testTransform)
    {
        Name = name;
        Split = split;
        this.images = images;
        this.labels = labels;
        SourceIndices = sourceIndices;
        Classes = classes;
        ClassNames = classNames;
        ClassMap = classes.Select((original, remapped) => (original, remapped)).ToDictionary(p => p.original, p => p.remapped);
        TrainTransform = trainTransform;
        TestTransform = testTransform;
        LabelCounts = new int[classes.Count];
        foreach (var l in labels) LabelCounts[l]++;
    }

    public string Name { get; }
    public DatasetSplit Split { get; }

    /// <summary>Original class ids; the index is the remapped label.</summary>
    public IReadOnlyList<int> Classes { get; }

    /// <summary>Original class id → remapped label.</summary>
    public IReadOnlyDictionary<int, int> ClassMap { get; }

    /// <summary>Names of the original classes, indexed like <see cref="Classes"/>, when the files name them.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    public int NumClasses => Classes.Count;
    public int Count => images.Length;

    /// <summary>Shape C,H,W of one image as the loader delivers it.</summary>
    public long[] ImageShape => TestTransform.OutputShape;

    /// <summary>Images per remapped label.</summary>
    public int[] LabelCounts { get; }

    /// <summary>Each record's position in the full split file it came from (for audits: disjointness, reproducibility).</summary>
    public IReadOnlyList<int> SourceIndices { get; }

    public IImageTransform TrainTransform { get; }
    public IImageTransform TestTransform { get; }

    public IImageTransform TransformFor(bool augment) => augment ? TrainTransform : TestTransform;

    public StoredImage Image(int index) => images[index];

    /// <summary>Remapped label of record <paramref name="index"/>.</summary>
    public int Label(int index) => labels[index];

    /// <summary>
    /// The batch of the given records, transformed on this thread; the tensors join the current dispose scope, if any.
    /// </summary>
    public Batch GetBatch(IReadOnlyList<int> indices, bool augment, int seed)
    {
        var host = HostBatch.Prepare(this, indices, TransformFor(augment), seed);
        return host.ToTensors();
    }
}
