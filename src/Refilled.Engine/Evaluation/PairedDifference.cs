namespace Refilled.Engine.Evaluation;

/// <summary>
/// A method against the reference over <see cref="N"/> runs paired by seed (and K): the mean of the per-pair
/// differences in points of accuracy (percentage points) and its 95 % Student-t interval with N − 1 degrees of freedom.
/// </summary>
public sealed record PairedDifference(
    string Method,
    string Reference,
    int? K,
    int N,
    double MeanDifference,
    double Lower,
    double Upper,
    ComparisonVerdict Verdict);
