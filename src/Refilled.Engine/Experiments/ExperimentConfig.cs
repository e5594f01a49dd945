using Refilled.Engine.Data;
using Refilled.Engine.Methods;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;

namespace Refilled.Engine.Experiments;

/// <summary>
/// The data of an experiment: the student's classes, K shots, the validation carve-out, and the test split. Each
/// <see cref="ConfigKeyAttribute"/> is a key of the file's <c>data</c> section (read, written and range-checked from it).
/// </summary>
public sealed record DataConfig
{
    [ConfigKey("name")]
    public DatasetName Name { get; init; } = DatasetName.Mnist;
    /// <summary>Absolute folder, or null for the dataset's default folder.</summary>
    [ConfigKey("path")]
    public string? Path { get; init; }
    [ConfigKey("classes", 0, Required = true)]
    public int[] Classes { get; init; } = [];
    [ConfigKey("samples_per_class", 1)]
    public int? SamplesPerClass { get; init; }
    /// <summary>Few-shot validation: N images per class, disjoint from the K-shot draw; excludes <see cref="ValidationFraction"/>.</summary>
    [ConfigKey("validation_per_class", 1)]
    public int? ValidationPerClass { get; init; }
    /// <summary>The share of the training split held out for validation (0 with <see cref="ValidationPerClass"/>).</summary>
    [ConfigKey("validation_fraction", 0, 0.9)]
    public double ValidationFraction { get; init; } = 0.2;
    /// <summary>Whether the run has a validation split to choose the best epoch on.</summary>
    public bool HasValidation => ValidationPerClass is not null || ValidationFraction > 0;
    /// <summary>Seed of the K-shot draw and validation split; null uses the run's seed.</summary>
    [ConfigKey("seed")]
    public int? Seed { get; init; }
    /// <summary>Measure the final student on the test split.</summary>
    [ConfigKey("test")]
    public bool Test { get; init; } = true;
}

/// <summary>Training a teacher from scratch on other classes of the same dataset: the <c>teacher.pretrain</c> section's keys and its recipe's.</summary>
public sealed record PretrainConfig
{
    [ConfigKey("architecture", Required = true)]
    public string Architecture { get; init; } = "";
    [ConfigKey("classes", 0, Required = true)]
    public int[] Classes { get; init; } = [];
    [ConfigKey("validation_fraction", 0, 0.9)]
    public double ValidationFraction { get; init; } = 0.1;
    [ConfigKey("seed")]
    public int Seed { get; init; }
    public PretrainingRecipe Recipe { get; init; } = new();
}

/// <summary>A teacher file (own format, or PyTorch with its architecture) or a pretraining block: the <c>teacher</c> section.</summary>
public sealed record TeacherConfig
{
    [ConfigKey("file")]
    public string? File { get; init; }
    [ConfigKey("architecture")]
    public string? Architecture { get; init; }
    [ConfigKey("classes", 0)]
    public int[]? Classes { get; init; }
    /// <summary>The <c>pretrain</c> sub-section.</summary>
    public PretrainConfig? Pretrain { get; init; }
}

/// <summary>What a Slurm array task asks for: the <c>resources</c> section (texts in Slurm's spelling, see <see cref="SlurmResourceGrammar"/>).</summary>
public sealed record ResourcesConfig
{
    [ConfigKey("cpus", 1, 4096)]
    public int Cpus { get; init; } = 2;
    [ConfigKey("mem")]
    public string Mem { get; init; } = "4G";
    [ConfigKey("time")]
    public string Time { get; init; } = "01:00:00";
    [ConfigKey("partition")]
    public string? Partition { get; init; }
}

/// <summary>One fully resolved run configuration: no sweep, one seed. This is what a run's config.yaml holds.</summary>
public sealed record ExperimentConfig
{
    public string Name { get; init; } = "";
    public DataConfig Data { get; init; } = new();
    public TeacherConfig? Teacher { get; init; }
    /// <summary>The architecture of a new student; empty when <see cref="StudentFile"/> gives a trained one.</summary>
    public string StudentArchitecture { get; init; } = "";
    /// <summary>A student checkpoint (own format) to continue from, e.g. for a stage-2-only run.</summary>
    public string? StudentFile { get; init; }
    public Stage1Recipe? Stage1 { get; init; }
    public Stage2Recipe? Stage2 { get; init; }
    public BaselineRecipe? Baseline { get; init; }
    public int Seed { get; init; }
    public int? Threads { get; init; }
    /// <summary>
    /// Where the teacher and the student live and train; null: the CPU. Not part of a run's identity: a run saved on one
    /// device resumes on another (checkpoints and training states are device-independent).
    /// </summary>
    public DeviceSpec? Device { get; init; }
    /// <summary>The training's precision and the final measurement's (see <see cref="TrainingOptions.Precision"/>).</summary>
    public Precision Precision { get; init; }
    public ResourcesConfig Resources { get; init; } = new();
    /// <summary>Write TensorBoard event files into the run folder, so each run is one TensorBoard run and a sweep one view.</summary>
    public bool TensorBoard { get; init; }

    /// <summary>The stages in the order they train: stage 1, stage 2, or a baseline (any of them may be absent).</summary>
    public IEnumerable<StageRecipe> Stages => new StageRecipe?[] { Stage1, Stage2, Baseline }.OfType<StageRecipe>();

    /// <summary>What the run trains: the baseline's method, else REFILLED.</summary>
    public TrainingMethod Method => Baseline is { } baseline ? TrainingMethods.Of(baseline.Method) : TrainingMethod.Refilled;
}
