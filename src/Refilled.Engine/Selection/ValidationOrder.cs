namespace Refilled.Engine.Selection;

/// <summary>
/// The one rule that picks the best epoch and the best λ, so that neither depends on the order of a list: the higher
/// validation metric wins; on a tie (common with 10 validation images per class) the lower validation cross-entropy;
/// then the smaller λ. Candidates equal in all three compare equal, and the earlier one is kept.
/// </summary>
public sealed class ValidationOrder : IComparer<ValidationScore>
{
    public static readonly ValidationOrder Instance = new();

    /// <summary>Negative when <paramref name="x"/> is the better candidate, positive when <paramref name="y"/> is.</summary>
    public int Compare(ValidationScore x, ValidationScore y)
    {
        var byMetric = y.Metric.CompareTo(x.Metric);
        if (byMetric != 0) return byMetric;
        var byCrossEntropy = Ascending(x.CrossEntropy, y.CrossEntropy);
        return byCrossEntropy != 0 ? byCrossEntropy : Ascending(x.Lambda, y.Lambda);
    }

    /// <summary>Whether <paramref name="candidate"/> beats <paramref name="best"/> (always, when there is no best yet).</summary>
    public static bool IsBetter(ValidationScore candidate, ValidationScore? best) =>
        best is not { } current || Instance.Compare(candidate, current) < 0;

    /// <summary>Smaller first; a missing value breaks no tie.</summary>
    static int Ascending(double? x, double? y) => x is { } a && y is { } b ? a.CompareTo(b) : 0;
}
