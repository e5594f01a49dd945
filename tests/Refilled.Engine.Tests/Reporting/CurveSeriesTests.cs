using Refilled.Engine.Reporting;
using Refilled.Engine.Training;

namespace Refilled.Engine.Tests.Reporting;

public class CurveSeriesTests
{
    static EpochMetrics Row(string stage, int epoch, double? metric, string metricName = "accuracy") =>
        new(stage, epoch, 2, 1.0, 10, 0, 0, null, metric, metricName, 0.1, 1.0);

    [Fact]
    public void ValidationCurveCountsEpochsAcrossStagesAndSkipsUnvalidatedOnes()
    {
        var history = new[] { Row("Stage1", 1, null), Row("Stage1", 2, null), Row("Stage2", 1, 0.4), Row("Stage2", 2, 0.5) };
        var curve = Assert.Single(CurveSeries.Validation("Refilled seed 0", history));
        Assert.Equal("Refilled seed 0", curve.Name);
        Assert.Equal([3.0, 4.0], curve.X);
        Assert.Equal([0.4, 0.5], curve.Y);
    }

    [Fact]
    public void EachMetricIsItsOwnLine()
    {
        var history = new[] { Row("Stage1", 1, 0.9, "ncm_accuracy"), Row("Stage2", 1, 0.6), Row("Stage2", 2, 0.7) };
        var curves = CurveSeries.Validation("s", history);
        Assert.Equal(["s (ncm_accuracy)", "s (accuracy)"], curves.Select(c => c.Name));
        Assert.Equal([1.0], curves[0].X);
        Assert.Equal([2.0, 3.0], curves[1].X);
    }

    [Fact]
    public void AHistoryWithoutValidationHasNoCurve() => Assert.Empty(CurveSeries.Validation("s", [Row("Scratch", 1, null)]));
}
