using Refilled.Engine.Checkpoints;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;

namespace Refilled.PowerShell.Objects;

/// <summary>A network with what it means: its architecture, the real classes behind its outputs, and its history.</summary>
public abstract class RefilledModel
{
    private protected RefilledModel(RefilledNetwork network, IReadOnlyList<int> classes, int? seed, string? path)
    {
        Network = network;
        // The engine's rule: one distinct class id per output (Import-Teacher -Classes 0..9 on five outputs is refused).
        Classes = [.. new LabelledNetwork(network, classes).Classes];
        Seed = seed;
        Path = path;
    }

    /// <summary>The engine network (a TorchSharp module).</summary>
    public RefilledNetwork Network { get; }
    public string Architecture => Network.Spec.ToString();
    /// <summary>Original label ids; output k of the classifier means Classes[k].</summary>
    public int[] Classes { get; }
    public int NumClasses => Network.NumClasses;
    public int EmbeddingSize => Network.EmbeddingSize;
    public long Parameters => Network.ParameterCount;
    /// <summary>Where the weights live (cpu, cuda:0, …); training and measuring run there.</summary>
    public string Device => Network.Device.ToString();
    /// <summary>The seed that initialised the weights; training keeps it (the run's seed is <see cref="TrainingSeed"/>).</summary>
    public int? Seed { get; }
    /// <summary>The -Seed of the run that last trained it (shuffling, augmentation); empty for an untrained model.</summary>
    public int? TrainingSeed { get; internal set; }
    /// <summary>The file this model was last read from or written to.</summary>
    public string? Path { get; internal set; }
    /// <summary>Every epoch this model was trained for in this session, across stages.</summary>
    public List<EpochMetrics> History { get; } = new();
    /// <summary>Where each training run's wall time went (steps, batch loading, validation, checkpoints), one per run.</summary>
    public List<TrainingPhases> Timings { get; } = new();
    /// <summary>The stage that last trained it (Pretraining, Stage1, Stage2, Scratch, KnowledgeDistillation, …).</summary>
    public TrainingStage? Stage { get; internal set; }

    /// <summary>An independent copy with its own weights and a copy of the history, e.g. to branch stage 2 per lambda.</summary>
    internal RefilledModel Copy()
    {
        RefilledModel copy = this switch
        {
            Teacher => new Teacher(Network.Clone(), Classes, Seed, Path),
            Student s => new Student(Network.Clone(), Classes, Seed, Path)
            {
                ValidationMetric = s.ValidationMetric, ValidationCrossEntropy = s.ValidationCrossEntropy, Lambda = s.Lambda,
            },
            _ => throw new InvalidOperationException($"Cannot copy a {GetType().Name}."),
        };
        copy.Stage = Stage;
        copy.TrainingSeed = TrainingSeed;
        copy.History.AddRange(History);
        copy.Timings.AddRange(Timings);
        return copy;
    }

    internal CheckpointMetadata ToMetadata() => TrainingRun.Metadata(Labelled, Stage, History, Seed, TrainingSeed);

    public override string ToString() =>
        $"{GetType().Name} {Architecture} ({NumClasses} classes: {ClassList(Classes)}{(Stage is null ? "" : ", after " + Stage)})";

    internal static string ClassList(IReadOnlyList<int> classes) => LabelledNetwork.ClassList(classes);

    /// <summary>The engine's view: the network and its class ids.</summary>
    internal LabelledNetwork Labelled => new(Network, Classes);
}
