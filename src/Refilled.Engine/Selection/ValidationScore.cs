namespace Refilled.Engine.Selection;

/// <summary>
/// What selection compares a candidate by (an epoch's weights, or a λ's student): its validation metric (higher is
/// better), its mean validation cross-entropy where the classifier was validated (lower is better), and its λ where
/// it has one (smaller is better).
/// </summary>
public readonly record struct ValidationScore(double Metric, double? CrossEntropy = null, double? Lambda = null);
