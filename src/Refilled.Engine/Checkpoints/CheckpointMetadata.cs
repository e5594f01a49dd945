using Refilled.Engine.Networks;

namespace Refilled.Engine.Checkpoints;

/// <summary>What a Refilled checkpoint records beside the weights (stored as JSON).</summary>
public sealed class CheckpointMetadata
{
    /// <summary>The canonical network spec, e.g. <c>wrn-40-2</c>.</summary>
    public string Architecture { get; set; } = "";

    /// <summary>The original label id of each output, in output order.</summary>
    public int[] Classes { get; set; } = [];

    public int NumClasses { get; set; }
    public int EmbeddingSize { get; set; }

    /// <summary>One sample's input shape: channels, height, width.</summary>
    public long[] InputShape { get; set; } = [];

    /// <summary>The training stage that produced the weights (e.g. teacher, stage1, stage2), if any.</summary>
    public string? Stage { get; set; }

    public int Epochs { get; set; }
    public Dictionary<string, double> Metrics { get; set; } = new();
    /// <summary>The seed that initialised the weights (New-Student -Seed); training never changes it.</summary>
    public int? Seed { get; set; }
    /// <summary>The seed of the run that last trained the weights (shuffling, augmentation, dropout): the run's -Seed.</summary>
    public int? TrainingSeed { get; set; }
    public string ModuleVersion { get; set; } = "";
    public DateTimeOffset Created { get; set; }

    /// <summary>Metadata that describes <paramref name="network"/>; training fields are left for the caller.</summary>
    /// <param name="classes">Original label ids; defaults to 0..NumClasses-1.</param>
    public static CheckpointMetadata Describe(RefilledNetwork network, IEnumerable<int>? classes = null) => new()
    {
        Architecture = network.Spec.ToString(),
        Classes = classes?.ToArray() ?? Enumerable.Range(0, network.NumClasses).ToArray(),
        NumClasses = network.NumClasses,
        EmbeddingSize = network.EmbeddingSize,
        InputShape = network.InputShape.ToArray(),
        ModuleVersion = typeof(CheckpointMetadata).Assembly.GetName().Version?.ToString(3) ?? "0.0.0",
        Created = DateTimeOffset.UtcNow,
    };
}
