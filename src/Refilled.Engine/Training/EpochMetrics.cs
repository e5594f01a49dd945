namespace Refilled.Engine.Training;

/// <summary>One row of a training history: what an epoch did and how the model scored afterwards.</summary>
public sealed record EpochMetrics(
    string Stage,
    int Epoch,
    int Epochs,
    double Loss,
    int Batches,
    int SkippedBatches,
    double TripletsPerBatch,
    double? TrainAccuracy,
    double? ValidationMetric,
    string ValidationMetricName,
    double LearningRate,
    double Seconds);
