using Refilled.Engine.Reporting;

namespace Refilled.Engine.Tests.Reporting;

public class GroupedBarChartTests
{
    [Fact]
    public void NumericCategoriesAreOrderedByValueAndGroupsByAppearance()
    {
        var chart = FigureTests.AccuracyBars();
        Assert.Equal(["20", "100"], chart.Categories);
        Assert.Equal(["Scratch", "Refilled"], chart.Groups);
    }

    [Fact]
    public void TextCategoriesKeepTheirOrder()
    {
        var chart = new GroupedBarChart([new("b", "g", 1), new("a", "g", 2), new("10", "g", 3)]);
        Assert.Equal(["b", "a", "10"], chart.Categories);
    }

    [Fact]
    public void BarsAreTheMeanWithTheSampleStandardDeviation()
    {
        var summary = FigureTests.AccuracyBars().Summary("20", "Scratch")!;
        Assert.Equal(3, summary.Count);
        Assert.Equal(0.43, summary.Mean, 12);
        // (−0.01, −0.03, 0.04) squared sum to 0.0026; divided by n − 1 = 2.
        Assert.Equal(Math.Sqrt(0.0013), summary.StandardDeviation, 12);
    }

    [Fact]
    public void OneSampleHasNoSpread() => Assert.Equal(0, SampleSummary.Of([0.5]).StandardDeviation);

    [Fact]
    public void AMissingCombinationHasNoSummary() =>
        Assert.Null(new GroupedBarChart([new("20", "Scratch", 1)]).Summary("20", "Refilled"));

    [Fact]
    public void AChartWithoutSamplesIsRefused() => Assert.Throws<ArgumentException>(() => new GroupedBarChart([]));
}
