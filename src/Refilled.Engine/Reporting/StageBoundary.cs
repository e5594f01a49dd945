using Refilled.Engine.Training;

namespace Refilled.Engine.Reporting;

/// <summary>Where one training stage hands over to the next on a steps axis, e.g. at step 400 "Stage1 | Stage2".</summary>
public sealed record StageBoundary(double X, string Label)
{
    /// <summary>The step after which each stage but the last of <paramref name="history"/> ends (none for one stage).</summary>
    public static IReadOnlyList<StageBoundary> Of(IReadOnlyList<EpochMetrics> history)
    {
        var epochs = CurveSeries.StepsAtEpochEnds(history);
        return epochs.Zip(epochs.Skip(1))
            .Where(pair => pair.First.Row.Stage != pair.Second.Row.Stage)
            .Select(pair => new StageBoundary(pair.First.Step, $"{pair.First.Row.Stage} | {pair.Second.Row.Stage}"))
            .ToList();
    }
}
