using Refilled.Engine.Reporting;
using Refilled.Engine.Training;

namespace Refilled.Engine.Tests.Reporting;

public class CurveChartTests
{
    static EpochMetrics Row(TrainingStage stage, int batches) => new(stage, 1, 1, 1.0, batches, 0, 0, null, 0.5, "accuracy", 0.1, 1.0);

    [Fact]
    public void TheMeanOverRunsHasTheLowestAndHighestRunAsItsBand()
    {
        var mean = CurveSeries.MeanWithRange("lambda=1", [new("s0", [10, 20], [0.5, 0.7]), new("s1", [10, 20, 30], [0.6, 0.9, 0.95])]);
        Assert.Equal([10.0, 20, 30], mean.X);
        Assert.Equal(0.55, mean.Y[0], 12);
        Assert.Equal(0.8, mean.Y[1], 12);
        Assert.Equal(0.95, mean.Y[2], 12);
        Assert.Equal([0.5, 0.7, 0.95], mean.Low!);
        Assert.Equal([0.6, 0.9, 0.95], mean.High!);
        Assert.Equal(2, mean.Runs.Count);
    }

    [Fact]
    public void AStageBoundaryIsTheStepWhereTheNextStageBegins()
    {
        var boundary = Assert.Single(StageBoundary.Of([Row(TrainingStage.Stage1, 3), Row(TrainingStage.Stage1, 3), Row(TrainingStage.Stage2, 2), Row(TrainingStage.Stage2, 2)]));
        Assert.Equal(new StageBoundary(6, "Stage1 | Stage2"), boundary);
        Assert.Empty(StageBoundary.Of([Row(TrainingStage.Scratch, 3), Row(TrainingStage.Scratch, 3)]));
    }

    [Fact]
    public void ManyCurvesKeepTheirLegendOutOfThePlotAndTheAccuracyAxisWithinOne()
    {
        var runs = Enumerable.Range(0, 12).Select(i => new CurveSeries($"run {i}", [1, 2, 3], [0.9, 0.95 + i * 0.004, 1.0])).ToList();
        var chart = new CurveChart([CurveSeries.MeanWithRange("mean", runs), .. runs])
        {
            ValueBounds = (0, 1), ShowRuns = true, Boundaries = [new StageBoundary(2, "Stage1 | Stage2")],
        };
        var panel = Assert.Single(new Figure(chart).Render(900, 500).Panels);
        Assert.NotNull(panel.Legend);
        Assert.False(panel.Legend.Overlaps(panel.PlotArea), $"legend {panel.Legend} over plot area {panel.PlotArea}");
        Assert.True(panel.ValueAxisMax <= 1, $"axis up to {panel.ValueAxisMax}");
        Assert.True(panel.ValueAxisMin >= 0.8, $"axis from {panel.ValueAxisMin}: not fitted to the data");
    }

    [Fact]
    public void ABandMustHaveAValueAtEachX() =>
        Assert.Throws<ArgumentException>(() => new CurveChart([new CurveSeries("a", [1, 2], [0.5, 0.6]) { Low = [0.4] }]));
}
