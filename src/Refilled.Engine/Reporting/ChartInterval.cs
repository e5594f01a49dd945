using System.Globalization;

namespace Refilled.Engine.Reporting;

/// <summary>
/// One point of an <see cref="IntervalChart"/> with its whiskers: e.g. Category "Refilled", Group "K=20", a mean
/// difference of +0.5 points with its 95 % interval [−0.1, +1.0] and the note "no clear difference".
/// </summary>
public sealed record ChartInterval(string Category, string Group, double Center, double Lower, double Upper, string? Note = null)
{
    /// <summary>The mean of repeated measurements (e.g. one per seed) with their smallest and largest value as whiskers.</summary>
    public static ChartInterval MeanAndRange(string category, string group, IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("There are no values to summarise.", nameof(values));
        return new ChartInterval(category, group, values.Average(), values.Min(), values.Max());
    }

    /// <summary>
    /// The mean of repeated measurements with ± their sample standard deviation (n − 1) as whiskers, noted "mean ± std"
    /// in <paramref name="format"/> (the mean alone for a single value, which has no spread).
    /// </summary>
    public static ChartInterval MeanAndStandardDeviation(string category, string group, IReadOnlyCollection<double> values, string format = "0.###")
    {
        var s = SampleSummary.Of(values);
        string F(double v) => v.ToString(format, CultureInfo.InvariantCulture);
        return new ChartInterval(category, group, s.Mean, s.Mean - s.StandardDeviation, s.Mean + s.StandardDeviation,
            s.Count == 1 ? F(s.Mean) : $"{F(s.Mean)} ± {F(s.StandardDeviation)}");
    }
}
