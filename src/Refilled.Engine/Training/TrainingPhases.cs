namespace Refilled.Engine.Training;

/// <summary>
/// Where a run's wall time went, in seconds: the objective's preparation (frozen teacher copy, the teacher's forward over
/// the training set for global centres), loading batches, SGD steps (forward, loss, backward, optimiser), validation
/// (with the best-weight snapshot) and checkpoints (checkpoint and resumable-state files). Other is the rest (progress
/// reports, heap trims, the best weights' restore).
/// </summary>
public sealed record TrainingPhases(
    TrainingStage Stage,
    double PrepareSeconds,
    double BatchLoadSeconds,
    double StepSeconds,
    double ValidationSeconds,
    double CheckpointSeconds,
    double TotalSeconds)
{
    public double OtherSeconds => Math.Max(0, TotalSeconds - PrepareSeconds - BatchLoadSeconds - StepSeconds - ValidationSeconds - CheckpointSeconds);

    /// <summary>The fraction of the wall time spent in SGD steps.</summary>
    public double StepShare => TotalSeconds > 0 ? StepSeconds / TotalSeconds : 0;

    public override string ToString() =>
        FormattableString.Invariant($"{Stage}: {TotalSeconds:0.00} s = steps {StepSeconds:0.00} ({StepShare:P0}), batch loading {BatchLoadSeconds:0.00}, prepare {PrepareSeconds:0.00}, validation {ValidationSeconds:0.00}, checkpoints {CheckpointSeconds:0.00}, other {OtherSeconds:0.00}");
}
