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
    double? ValidationCrossEntropy = null)
{
    /// <summary>Stage 1's validation metric: NCM accuracy with class means from the validation split itself.</summary>
    public const string NcmTransductive = "ncm_transductive";

    /// <summary>
    /// The metric's name. Histories written before stage 1's was renamed call it ncm_accuracy, which in result.json means
    /// the inductive NCM (class means from the training images): read back, it takes its current name.
    /// </summary>
    public string ValidationMetricName { get; init; } =
        ValidationMetricName == "ncm_accuracy" && Stage == TrainingStage.Stage1 ? NcmTransductive : ValidationMetricName;
}
