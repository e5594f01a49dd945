using Refilled.Engine.Training;

namespace Refilled.Engine.Reporting;

/// <summary>One named line of a <see cref="CurveChart"/>, e.g. a student's validation accuracy over training.</summary>
public sealed record CurveSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>
    /// The validated epochs of a training history. x counts SGD steps across stages (stage 2's first step follows
    /// stage 1's last), so a multi-stage student reads left to right, and runs on 100 or 500 images (1 or 7 batches
    /// an epoch) share one axis; epochs without a validation score are left out.
    /// Each metric gets its own line, named "name (metric)" when there are several, because joining stage 1's NCM
    /// accuracy to stage 2's classifier accuracy would draw a jump that no model made.
    /// </summary>
    public static IReadOnlyList<CurveSeries> Validation(string name, IReadOnlyList<EpochMetrics> history)
    {
        var steps = 0.0;
        var byMetric = history.Select(row => (Step: steps += row.Batches, row.ValidationMetric, row.ValidationMetricName))
            .ToList()
            .Where(point => point.ValidationMetric is not null)
            .GroupBy(point => point.ValidationMetricName)
            .ToList();
        return byMetric.Select(points => new CurveSeries(
                byMetric.Count == 1 ? name : $"{name} ({points.Key})",
                points.Select(p => p.Step).ToArray(),
                points.Select(p => p.ValidationMetric!.Value).ToArray()))
            .ToList();
    }
}
