using Refilled.Engine.Data;
using Refilled.Engine.Methods;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;

namespace Refilled.Engine.Experiments;

/// <summary>The data of an experiment: the student's classes, K shots, the validation carve-out, and the test split.</summary>
public sealed record DataConfig
{
    public DatasetName Name { get; init; } = DatasetName.Mnist;
    /// <summary>Absolute folder, or null for the dataset's default folder.</summary>
    public string? Path { get; init; }
    public int[] Classes { get; init; } = [];
    public int? SamplesPerClass { get; init; }
    public double ValidationFraction { get; init; } = 0.2;
    /// <summary>Few-shot validation: N images per class, disjoint from the K-shot draw; excludes <see cref="ValidationFraction"/>.</summary>
    public int? ValidationPerClass { get; init; }
    /// <summary>Whether the run has a validation split to choose the best epoch on.</summary>
    public bool HasValidation => ValidationPerClass is not null || ValidationFraction > 0;
    /// <summary>Seed of the K-shot draw and validation split; null uses the run's seed.</summary>
    public int? Seed { get; init; }
    /// <summary>Measure the final student on the test split.</summary>
    public bool Test { get; init; } = true;
}

/// <summary>Training a teacher from scratch on other classes of the same dataset.</summary>
public sealed record PretrainConfig
{
    public string Architecture { get; init; } = "";
    public int[] Classes { get; init; } = [];
    public double ValidationFraction { get; init; } = 0.1;
    public int Seed { get; init; }
    public PretrainingRecipe Recipe { get; init; } = new();
}

/// <summary>A teacher file (own format, or PyTorch with its architecture) or a pretraining block.</summary>
public sealed record TeacherConfig
{
    public string? File { get; init; }
    public string? Architecture { get; init; }
    public int[]? Classes { get; init; }
    public PretrainConfig? Pretrain { get; init; }
}

/// <summary>What a Slurm array task asks for.</summary>
public sealed record ResourcesConfig
{
    public int Cpus { get; init; } = 2;
    public string Mem { get; init; } = "4G";
    public string Time { get; init; } = "01:00:00";
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
    public string Method => Baseline?.Method.ToString() ?? "Refilled";
}
