using Refilled.Engine.Runtime;

namespace Refilled.Engine.Training;

/// <summary>The loop's settings; each stage's defaults are the released code's (see <see cref="TrainingDefaults"/>).</summary>
public sealed record TrainingOptions
{
    /// <summary>
    /// The stage these options train, the name its history, progress and errors are written under; set by
    /// <see cref="StageRecipe.Build"/> from the recipe (null in run-wide settings, which no stage owns).
    /// </summary>
    public TrainingStage? Stage { get; init; }
    public int Epochs { get; init; } = TrainingDefaults.Epochs;
    public double LearningRate { get; init; } = TrainingDefaults.LearningRate;
    public int BatchSize { get; init; } = TrainingDefaults.BatchSize;
    public double Momentum { get; init; } = TrainingDefaults.Momentum;
    public double WeightDecay { get; init; } = TrainingDefaults.WeightDecay;
    public bool Nesterov { get; init; } = TrainingDefaults.Nesterov;
    public int Seed { get; init; }
    /// <summary>libtorch intra-op threads (process-wide); null keeps the current setting.</summary>
    public int? Threads { get; init; }
    /// <summary>Validate every N epochs (and always after the last one).</summary>
    public int EvaluateEvery { get; init; } = TrainingDefaults.EvaluateEvery;
    /// <summary>Drop the last partial batch; a last batch of one image is always dropped (BatchNorm cannot train on it).</summary>
    public bool DropLast { get; init; } = TrainingDefaults.DropLast;
    /// <summary>Learning rate per epoch; null means a constant <see cref="LearningRate"/>.</summary>
    public LearningRateSchedule? Schedule { get; init; }
    /// <summary>
    /// Run-wide: the frozen teacher's forward precision (recipes pass it to their objectives) and, for BFloat16, mixed
    /// precision for the student (<see cref="Networks.Autocast"/> around each step). Weights, gradients, the losses and
    /// validation stay float32.
    /// </summary>
    public Precision Precision { get; init; }
}
