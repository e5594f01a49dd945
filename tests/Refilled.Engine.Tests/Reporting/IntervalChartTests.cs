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
    public void MeanAndStandardDeviationUseNMinusOneAndSayWhatTheyAre()
    {
        var point = ChartInterval.MeanAndStandardDeviation("20", "Scratch", [0.42, 0.40, 0.47]);
        // (−0.01, −0.03, 0.04) squared sum to 0.0026; divided by n − 1 = 2.
        Assert.Equal(0.43, point.Center, 12);
        Assert.Equal(0.43 - Math.Sqrt(0.0013), point.Lower, 12);
        Assert.Equal(0.43 + Math.Sqrt(0.0013), point.Upper, 12);
        Assert.Equal("0.43 ± 0.036", point.Note);
        Assert.Equal("0.5", ChartInterval.MeanAndStandardDeviation("a", "g", [0.5]).Note);
    }

    [Fact]
    public void NumericCategoriesAreOrderedByValueOthersAndGroupsByAppearance()
    {
        var chart = FigureTests.Accuracies();
        Assert.Equal(["20", "100"], chart.Categories);
        Assert.Equal(["Scratch", "Refilled"], chart.Groups);
        Assert.Equal(["b", "a", "10"], new IntervalChart([new("b", "g", 1, 1, 1), new("a", "g", 2, 2, 2), new("10", "g", 3, 3, 3)]).Categories);
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
    public void AChartWithoutPointsIsRefused() => Assert.Throws<ArgumentException>(() => new IntervalChart([]));

    [Fact]
    public void ACentreOutsideItsWhiskersIsRefused() =>
        Assert.Throws<ArgumentException>(() => new IntervalChart([new("a", "g", 0.5, 0.6, 0.7)]));
}
