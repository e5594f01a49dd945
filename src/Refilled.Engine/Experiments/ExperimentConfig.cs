using Refilled.Engine.Data;
using Refilled.Engine.Distillation;
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
    public int Epochs { get; init; } = 8;
    public double Lr { get; init; } = 0.05;
    public int Batch { get; init; } = 64;
    public double ValidationFraction { get; init; } = 0.1;
    public int Seed { get; init; }
}

/// <summary>A teacher file (own format, or PyTorch with its architecture) or a pretraining block.</summary>
public sealed record TeacherConfig
{
    public string? File { get; init; }
    public string? Architecture { get; init; }
    public int[]? Classes { get; init; }
    public PretrainConfig? Pretrain { get; init; }
}

public sealed record Stage1Config
{
    public int Epochs { get; init; } = 10;
    public double Lr { get; init; } = 0.05;
    public double Tau { get; init; } = TrainingDefaults.Tau1;
    public double Margin { get; init; } = TrainingDefaults.Margin;
    public RelationshipVariant Variant { get; init; } = RelationshipVariant.Triplet;
    public int Batch { get; init; } = 64;
    public int EvaluateEvery { get; init; } = 1;
}

public sealed record Stage2Config
{
    public int Epochs { get; init; } = 10;
    public double Lr { get; init; } = 0.05;
    public double Tau { get; init; } = TrainingDefaults.Tau2;
    public double Lambda { get; init; } = TrainingDefaults.Lambda;
    public CentreSource Centers { get; init; } = CentreSource.Global;
    /// <summary>Null: 50%, 70% and 90% of the epochs.</summary>
    public int[]? Milestones { get; init; }
    public double Gamma { get; init; } = TrainingDefaults.Gamma;
    public int Batch { get; init; } = 64;
    public int EvaluateEvery { get; init; } = 1;
}

public enum BaselineKind
{
    Scratch,
    Kd,
}

/// <summary>The comparison methods: cross-entropy from scratch, or Hinton KD (teacher on the student's classes).</summary>
public sealed record BaselineConfig
{
    public BaselineKind Method { get; init; } = BaselineKind.Scratch;
    public int Epochs { get; init; } = 10;
    public double Lr { get; init; } = 0.05;
    public int Batch { get; init; } = 64;
    public int[]? Milestones { get; init; }
    public double Gamma { get; init; } = TrainingDefaults.Gamma;
    public double Temperature { get; init; } = TrainingDefaults.KdTemperature;
    public double Alpha { get; init; } = TrainingDefaults.KdAlpha;
    public int EvaluateEvery { get; init; } = 1;
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
    public string StudentArchitecture { get; init; } = "";
    public Stage1Config? Stage1 { get; init; }
    public Stage2Config? Stage2 { get; init; }
    public BaselineConfig? Baseline { get; init; }
    public int Seed { get; init; }
    public int? Threads { get; init; }
    public ResourcesConfig Resources { get; init; } = new();
}
