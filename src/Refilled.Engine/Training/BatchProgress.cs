namespace Refilled.Engine.Training;

/// <summary>Where a running trainer is, reported after every batch.</summary>
public readonly record struct BatchProgress(
    TrainingStage Stage, int Epoch, int Epochs, int Batch, int BatchesPerEpoch, double Loss, TimeSpan Elapsed, TimeSpan Remaining);
