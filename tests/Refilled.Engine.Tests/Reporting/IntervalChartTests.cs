using Refilled.Engine.Reporting;

namespace Refilled.Engine.Tests.Reporting;

public class IntervalChartTests
{
    static IntervalChart Accuracies() =>
        new([
            ChartInterval.MeanAndRange("lambda=0.1", "validation", [0.86, 0.88]),
            ChartInterval.MeanAndRange("lambda=0.1", "test", [0.875, 0.877]),
            ChartInterval.MeanAndRange("lambda=1", "validation", [0.90, 0.94]),
            ChartInterval.MeanAndRange("lambda=1", "test", [0.89, 0.895]),
        ]) { ValueAxisLabel = "accuracy", ValueBounds = (0, 1) };

    [Fact]
    public void MeanAndRangeAreTheMeanAndTheExtremes()
    {
        var point = ChartInterval.MeanAndRange("a", "g", [0.8, 0.9, 0.7]);
        Assert.Equal(0.8, point.Center, 12);
        Assert.Equal(0.7, point.Lower);
        Assert.Equal(0.9, point.Upper);
    }

    [Fact]
    public void TheValueAxisIsFittedToTheWhiskersNotStartedAtZero()
    {
        var (min, max) = Accuracies().ValueRange();
        // Whiskers span 0.86–0.94: a tenth of that below and above.
        Assert.Equal(0.852, min, 9);
        Assert.Equal(0.948, max, 9);
    }

    [Fact]
    public void AnAccuracyAxisNeverPassesOne()
    {
        var chart = new IntervalChart([new("a", "g", 0.99, 0.98, 1.0, "note")]) { ValueBounds = (0, 1) };
        Assert.Equal(1.0, chart.ValueRange().Max);
    }

    [Fact]
    public void TheReferenceLineIsAlwaysInView()
    {
        var chart = new IntervalChart([new("Refilled", "K=20", 2.0, 1.0, 3.0)]) { ReferenceLine = 0 };
        var (min, max) = chart.ValueRange();
        Assert.True(min < 0 && max > 3, $"{min}..{max}");
    }

    [Fact]
    public void TheRenderedAxisIsTheFittedRangeAndTheLegendSitsBesideThePlot()
    {
        var chart = Accuracies();
        var panel = Assert.Single(new Figure(chart).Render(900, 500).Panels);
        var (min, max) = chart.ValueRange();
        Assert.Equal(min, panel.ValueAxisMin, 9);
        Assert.Equal(max, panel.ValueAxisMax, 9);
        Assert.Equal("accuracy", panel.ValueAxisLabel);
        Assert.NotNull(panel.Legend);
        Assert.False(panel.Legend.Overlaps(panel.PlotArea), $"legend {panel.Legend} over plot area {panel.PlotArea}");
        Assert.True(panel.Legend.Left >= panel.PlotArea.Right);
    }

    [Fact]
    public void OneGroupHasNoLegend() =>
        Assert.Null(Assert.Single(new Figure(new IntervalChart([new("Refilled", "K=20", 1, 0, 2)])).Render(400, 300).Panels).Legend);

    [Fact]
    public void ACentreOutsideItsWhiskersIsRefused() =>
        Assert.Throws<ArgumentException>(() => new IntervalChart([new("a", "g", 0.5, 0.6, 0.7)]));
}
