namespace Refilled.Engine.Training;

/// <summary>The loop's settings; each stage's defaults are the released code's (see <see cref="TrainingDefaults"/>).</summary>
public sealed record TrainingOptions
{
    public int Epochs { get; init; } = 200;
    public double LearningRate { get; init; } = 0.1;
    public int BatchSize { get; init; } = 128;
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 5e-4;
    public bool Nesterov { get; init; } = true;
    public int Seed { get; init; }
    /// <summary>libtorch intra-op threads (process-wide); null keeps the current setting.</summary>
    public int? Threads { get; init; }
    /// <summary>Validate every N epochs (and always after the last one).</summary>
    public int EvaluateEvery { get; init; } = 1;
    public bool DropLast { get; init; } = true;
    /// <summary>Learning rate per epoch; null means a constant <see cref="LearningRate"/>.</summary>
    public LearningRateSchedule? Schedule { get; init; }
}
