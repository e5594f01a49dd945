namespace Refilled.Engine.Training;

/// <summary>
/// One row of a training history: what an epoch did and how the model scored afterwards. <see cref="Terms"/> holds
/// the epoch's mean of each named loss term (e.g. stage 2's cross_entropy and kl); <see cref="ValidationCrossEntropy"/> the
/// classifier's mean cross-entropy on the validation data, which breaks ties in validation accuracy.
/// </summary>
public sealed record EpochMetrics(
    TrainingStage Stage,
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
    double Seconds,
    IReadOnlyDictionary<string, double>? Terms = null,
    double? ValidationCrossEntropy = null);
