namespace Refilled.Engine.Data;

/// <summary>What to load: a dataset, a split, and the class / K-shot subset of it.</summary>
public sealed class DatasetRequest
{
    public DatasetName Name { get; init; }

    /// <summary>Folder holding the files; null means the dataset's folder under <see cref="DatasetCatalog.DefaultRoot"/>.</summary>
    public string? Path { get; init; }

    public DatasetSplit Split { get; init; } = DatasetSplit.Train;

    /// <summary>Original label ids to keep, in the order that defines the remapped labels 0..k−1; null keeps all.</summary>
    public int[]? Classes { get; init; }

    /// <summary>K: images kept per class, drawn (seeded, stratified) from the training part. Applies to Train only.</summary>
    public int? SamplesPerClass { get; init; }

    /// <summary>Fraction of each class of the training files held out as Validation (seeded, stratified).</summary>
    public double ValidationFraction { get; init; }

    /// <summary>
    /// N: a few-shot validation set of N images per class, drawn (seeded) from the same pool as the K-shot draw and
    /// disjoint from it. Give Train and Validation requests the same K, N and seed. Excludes <see cref="ValidationFraction"/>.
    /// </summary>
    public int? ValidationSamplesPerClass { get; init; }

    public int Seed { get; init; }

    /// <summary>CIFAR-100 only: the 20 coarse super-class labels instead of the 100 fine ones.</summary>
    public bool CoarseLabels { get; init; }
}
