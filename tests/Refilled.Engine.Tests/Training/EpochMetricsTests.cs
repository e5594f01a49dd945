using System.Text.Json;
using Refilled.Engine.Experiments;
using Refilled.Engine.Training;

namespace Refilled.Engine.Tests.Training;

/// <summary>Stage 1's validation metric has one name, ncm_transductive; files that called it ncm_accuracy still read.</summary>
public class EpochMetricsTests
{
    static EpochMetrics Row(TrainingStage stage, string metric) => new(stage, 1, 2, 0.5, 3, 0, 0, null, 0.7, metric, 0.1, 1);

    [Fact]
    public void AStage1RowNamedNcmAccuracyIsTheTransductiveNcm()
    {
        Assert.Equal("ncm_transductive", Row(TrainingStage.Stage1, "ncm_accuracy").ValidationMetricName);
        Assert.Equal("ncm_transductive", Row(TrainingStage.Stage1, "ncm_transductive").ValidationMetricName);
        Assert.Equal("accuracy", Row(TrainingStage.Stage2, "accuracy").ValidationMetricName);
        // Only stage 1's old name is renamed; another stage's (none today) keeps its own.
        Assert.Equal("ncm_accuracy", Row(TrainingStage.Scratch, "ncm_accuracy").ValidationMetricName);
    }

    [Fact]
    public void OldTrainingStatesAndMetricsFilesReadWithTheNewName()
    {
        var json = JsonSerializer.Serialize(Row(TrainingStage.Stage1, "ncm_transductive")).Replace("ncm_transductive", "ncm_accuracy");
        Assert.Contains("\"ncm_accuracy\"", json);
        Assert.Equal("ncm_transductive", JsonSerializer.Deserialize<EpochMetrics>(json)!.ValidationMetricName);

        var folder = Directory.CreateTempSubdirectory("refilled-metrics-");
        try
        {
            var path = Path.Combine(folder.FullName, "metrics.csv");
            RunFiles.WriteMetrics(path, [Row(TrainingStage.Stage1, "ncm_transductive")]);
            File.WriteAllText(path, File.ReadAllText(path).Replace("ncm_transductive", "ncm_accuracy"));
            Assert.Equal("ncm_transductive", Assert.Single(RunFiles.ReadMetrics(path)).ValidationMetricName);
        }
        finally
        {
            folder.Delete(true);
        }
    }
}
