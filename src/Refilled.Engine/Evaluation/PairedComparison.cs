namespace Refilled.Engine.Evaluation;

/// <summary>
/// Compares each method with a reference method over runs paired by seed and K: per pair the difference of test
/// accuracies, then the mean and its 95 % Student-t interval. A sign is stated only when the interval excludes zero.
/// </summary>
public static class PairedComparison
{
    public const double Confidence = 0.95;

    /// <summary>
    /// One <see cref="PairedDifference"/> per method other than <paramref name="reference"/> and per K, ordered by K, then
    /// method as first seen. Runs without a partner are left out (see <see cref="Unpaired"/>); two runs of one method with
    /// the same seed and K are ambiguous and refused; fewer than two pairs give no interval and are refused.
    /// </summary>
    public static IReadOnlyList<PairedDifference> Compare(IEnumerable<ComparedResult> results, string reference)
    {
        var rows = Index(results);
        var methods = rows.Keys.Select(k => k.Method).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (!methods.Contains(reference, StringComparer.OrdinalIgnoreCase))
            throw new PairingException($"No run of the reference method '{reference}' to compare with (methods: {string.Join(", ", methods)}).", reference,
                PairingProblem.NoReferenceRuns);
        var referenceName = methods.First(m => string.Equals(m, reference, StringComparison.OrdinalIgnoreCase));
        var comparisons = new List<PairedDifference>();
        foreach (var k in rows.Keys.Select(key => key.K).Distinct().OrderBy(k => k ?? -1))
        foreach (var method in methods.Where(m => m != referenceName))
        {
            var differences = rows
                .Where(r => r.Key.Method == method && r.Key.K == k)
                .Select(r => rows.TryGetValue((referenceName, r.Key.Seed, k), out var baseline) ? (double?)(r.Value - baseline) * 100 : null)
                .OfType<double>()
                .ToList();
            if (differences.Count == 0) continue;
            if (differences.Count < 2)
                throw new PairingException($"{method} vs {referenceName}{KText(k)}: {differences.Count} pair by seed; an interval needs at least 2.", method);
            comparisons.Add(Interval(method, referenceName, k, differences));
        }
        return comparisons;
    }

    /// <summary>The mean of <paramref name="differences"/> (points) with its 95 % t interval and the verdict it supports.</summary>
    public static PairedDifference Interval(string method, string reference, int? k, IReadOnlyList<double> differences)
    {
        var n = differences.Count;
        if (n < 2) throw new PairingException($"{method} vs {reference}{KText(k)}: an interval needs at least 2 pairs, got {n}.", method);
        var mean = differences.Average();
        var variance = differences.Sum(d => (d - mean) * (d - mean)) / (n - 1);
        var halfWidth = StudentT.Quantile(0.5 + Confidence / 2, n - 1) * Math.Sqrt(variance / n);
        var lower = mean - halfWidth;
        var upper = mean + halfWidth;
        var verdict = lower > 0 ? ComparisonVerdict.Ahead : upper < 0 ? ComparisonVerdict.Behind : ComparisonVerdict.NoClearDifference;
        return new PairedDifference(method, reference, k, n, mean, lower, upper, verdict);
    }

    /// <summary>The runs that have no run of the reference method with the same seed and K (and the reference's own runs without any partner).</summary>
    public static IReadOnlyList<ComparedResult> Unpaired(IEnumerable<ComparedResult> results, string reference)
    {
        var list = results.ToList();
        var referenceKeys = list.Where(r => string.Equals(r.Method, reference, StringComparison.OrdinalIgnoreCase))
            .Select(r => (r.Seed, r.K)).ToHashSet();
        var otherKeys = list.Where(r => !string.Equals(r.Method, reference, StringComparison.OrdinalIgnoreCase))
            .Select(r => (r.Seed, r.K)).ToHashSet();
        return list.Where(r => string.Equals(r.Method, reference, StringComparison.OrdinalIgnoreCase)
            ? !otherKeys.Contains((r.Seed, r.K))
            : !referenceKeys.Contains((r.Seed, r.K))).ToList();
    }

    private static Dictionary<(string Method, int Seed, int? K), double> Index(IEnumerable<ComparedResult> results)
    {
        var rows = new Dictionary<(string, int, int?), double>();
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var r in results)
        {
            if (double.IsNaN(r.Accuracy) || r.Accuracy < 0 || r.Accuracy > 1)
                throw new PairingException($"{r.Method} seed {r.Seed}{KText(r.K)}: accuracy {r.Accuracy} is not a fraction in [0, 1] (a percentage? divide it by 100).", r.Method,
                    PairingProblem.AccuracyNotFraction);
            var method = names.TryGetValue(r.Method, out var known) ? known : names[r.Method] = r.Method;
            if (!rows.TryAdd((method, r.Seed, r.K), r.Accuracy))
                throw new PairingException($"{method} has two runs with seed {r.Seed}{KText(r.K)}: pairing by seed would be ambiguous.", method,
                    PairingProblem.DuplicateSeed);
        }
        return rows;
    }

    private static string KText(int? k) => k is { } value ? $" at K = {value}" : "";
}
