using Refilled.Engine.Data;

namespace Refilled.PowerShell.Objects;

/// <summary>A dataset split held in memory: which real classes it has, how many images, and how they are labelled.</summary>
public sealed class RefilledDataset
{
    internal RefilledDataset(ImageDataset dataset, DatasetRequest request)
    {
        Dataset = dataset;
        Request = request;
    }

    /// <summary>The engine dataset.</summary>
    public ImageDataset Dataset { get; }
    internal DatasetRequest Request { get; }

    public string Name => Dataset.Name;
    public DatasetSplit Split => Dataset.Split;
    /// <summary>Original label ids; label k in the data means Classes[k].</summary>
    public int[] Classes => Dataset.Classes.ToArray();
    public int Count => Dataset.Count;
    public int NumClasses => Dataset.NumClasses;
    /// <summary>Channels, height, width.</summary>
    public long[] ImageShape => Dataset.ImageShape;
    public int? SamplesPerClass => Request.SamplesPerClass;
    public double ValidationFraction => Request.ValidationFraction;
    public int? ValidationSamplesPerClass => Request.ValidationSamplesPerClass;
    public int Seed => Request.Seed;
    public string? Path => Request.Path;

    /// <summary>Original label id → the label used in training.</summary>
    public Dictionary<int, int> ClassMap => new(Dataset.ClassMap.OrderBy(p => p.Value));

    public override string ToString() =>
        $"{Name} {Split}: {Count} images, {NumClasses} classes ({RefilledModel.ClassList(Dataset.Classes)}), {string.Join("x", ImageShape)}";
}
