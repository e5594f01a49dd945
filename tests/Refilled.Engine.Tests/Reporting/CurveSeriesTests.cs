using Refilled.Engine.Reporting;
using Refilled.Engine.Training;

namespace Refilled.Engine.Tests.Reporting;

public class CurveSeriesTests
{
    static EpochMetrics Row(TrainingStage stage, int epoch, double? metric, string metricName = "accuracy", int batches = 10) =>
        new(stage, epoch, 2, 1.0, batches, 0, 0, null, metric, metricName, 0.1, 1.0);

    [Fact]
    public void ValidationCurveCountsStepsAcrossStagesAndSkipsUnvalidatedEpochs()
    {
        var history = new[] { Row(TrainingStage.Stage1, 1, null), Row(TrainingStage.Stage1, 2, null, batches: 5), Row(TrainingStage.Stage2, 1, 0.4), Row(TrainingStage.Stage2, 2, 0.5) };
        var curve = Assert.Single(CurveSeries.Validation("Refilled seed 0", history));
        Assert.Equal("Refilled seed 0", curve.Name);
        Assert.Equal([25.0, 35.0], curve.X);
        Assert.Equal([0.4, 0.5], curve.Y);
    }

    [Fact]
    public void EachMetricIsItsOwnLine()
    {
        var history = new[] { Row(TrainingStage.Stage1, 1, 0.9, "ncm_transductive"), Row(TrainingStage.Stage2, 1, 0.6), Row(TrainingStage.Stage2, 2, 0.7) };
        var curves = CurveSeries.Validation("s", history);
        Assert.Equal(["s (ncm_transductive)", "s (accuracy)"], curves.Select(c => c.Name));
        Assert.Equal([10.0], curves[0].X);
        Assert.Equal([20.0, 30.0], curves[1].X);
    }

    [Fact]
    public void AHistoryWithoutValidationHasNoCurve() => Assert.Empty(CurveSeries.Validation("s", [Row(TrainingStage.Scratch, 1, null)]));
}
