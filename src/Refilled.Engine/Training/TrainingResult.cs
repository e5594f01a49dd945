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
    TrainingPhases Phases);
