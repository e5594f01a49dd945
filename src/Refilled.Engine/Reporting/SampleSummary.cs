namespace Refilled.Engine.Reporting;

/// <summary>Mean and sample standard deviation (n − 1) of repeated measurements, e.g. one accuracy per seed.</summary>
public sealed record SampleSummary(double Mean, double StandardDeviation, int Count)
{
    /// <summary>Summarises the values; a single value has a standard deviation of 0 rather than NaN.</summary>
    public static SampleSummary Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("There are no values to summarise.", nameof(values));
        var mean = values.Average();
        var variance = values.Count == 1 ? 0 : values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return new SampleSummary(mean, Math.Sqrt(variance), values.Count);
    }
}
