namespace Refilled.Engine.Training;

/// <summary>
/// What a run did. The network holds the best validated weights (or the last ones without validation). Phases says where
/// the wall time went.
/// </summary>
public sealed record TrainingResult(
    IReadOnlyList<EpochMetrics> History,
    int? BestEpoch,
    double? BestValidationMetric,
    bool Cancelled,
    double Seconds,
    TrainingPhases Phases,
    double? BestValidationCrossEntropy = null)
{
    /// <summary>For a cancelled run: the epochs it completed (its <see cref="History"/>) and which epoch's weights the network holds.</summary>
    public string StoppedMessage(TrainingStage stage, int epochs) =>
        $"{stage} stopped after {History.Count} of {epochs} epochs (recorded in History). The model holds " +
        (BestEpoch is int best
            ? $"the weights of epoch {best}, the best validated so far."
            : $"the weights as they were when stopped, part-way through epoch {History.Count + 1} (no validated epoch to go back to).");
}
