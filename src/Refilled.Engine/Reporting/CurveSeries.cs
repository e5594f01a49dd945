using Refilled.Engine.Training;

namespace Refilled.Engine.Reporting;

/// <summary>
/// One named line of a <see cref="CurveChart"/>, e.g. a student's validation accuracy over training. An aggregate over
/// seeds also has a band (<see cref="Low"/> to <see cref="High"/> at each x) and the <see cref="Runs"/> it summarises.
/// </summary>
public sealed record CurveSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    public IReadOnlyList<double>? Low { get; init; }
    public IReadOnlyList<double>? High { get; init; }
    public IReadOnlyList<CurveSeries> Runs { get; init; } = [];

    /// <summary>
    /// The validated epochs of a training history. x counts SGD steps (batches trained) across stages, at the end of
    /// each epoch (stage 2's first step follows stage 1's last), so a multi-stage student reads left to right, and runs
    /// on 100 or 500 images (1 or 7 batches an epoch) share one axis; epochs without a validation score are left out.
    /// Each metric gets its own line, named "name (metric)" when there are several, because joining stage 1's NCM
    /// accuracy to stage 2's classifier accuracy would draw a jump that no model made.
    /// </summary>
    public static IReadOnlyList<CurveSeries> Validation(string name, IReadOnlyList<EpochMetrics> history)
    {
        var byMetric = StepsAtEpochEnds(history)
            .Where(point => point.Row.ValidationMetric is not null)
            .GroupBy(point => point.Row.ValidationMetricName)
            .ToList();
        return byMetric.Select(points => new CurveSeries(
                byMetric.Count == 1 ? name : $"{name} ({points.Key})",
                points.Select(p => p.Step).ToArray(),
                points.Select(p => p.Row.ValidationMetric!.Value).ToArray()))
            .ToList();
    }

    /// <summary>
    /// The mean of <paramref name="runs"/> (e.g. the seeds of one setting) at each x any of them has, with the smallest and
    /// largest run as the band: with few seeds the band shows every run's reach rather than an estimate of spread.
    /// </summary>
    public static CurveSeries MeanWithRange(string name, IReadOnlyList<CurveSeries> runs)
    {
        if (runs.Count == 0) throw new ArgumentException("There are no runs to aggregate.", nameof(runs));
        var columns = runs.SelectMany(r => r.X.Zip(r.Y)).GroupBy(p => p.First, p => p.Second).OrderBy(g => g.Key).ToList();
        return new CurveSeries(name, [.. columns.Select(c => c.Key)], [.. columns.Select(c => c.Average())])
        {
            Low = [.. columns.Select(c => c.Min())],
            High = [.. columns.Select(c => c.Max())],
            Runs = runs,
        };
    }

    /// <summary>Each epoch of <paramref name="history"/> with the SGD steps (batches) trained by its end, counted across stages.</summary>
    public static IReadOnlyList<(double Step, EpochMetrics Row)> StepsAtEpochEnds(IReadOnlyList<EpochMetrics> history)
    {
        var steps = 0.0;
        return history.Select(row => (steps += row.Batches, row)).ToList();
    }
}
