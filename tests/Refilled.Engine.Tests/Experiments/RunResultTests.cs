using Refilled.Engine.Experiments;
using Refilled.Engine.Training;

namespace Refilled.Engine.Tests.Experiments;

public class RunResultTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("refilled-result-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    RunResult ReadJson(string json)
    {
        var path = Path.Combine(dir, "result.json");
        File.WriteAllText(path, json);
        return RunResult.Read(path);
    }

    [Fact]
    public void AnOldResultWithAMethodNameAndRefilledsColumnsStillReadsWithThemAsHyperparameters()
    {
        var old = ReadJson("""
            { "experiment": "e", "run_index": 1, "run_id": "lambda=0.1", "method": "Refilled", "seed": 2, "lambda": 0.1, "tau1": 4,
              "tau2": 2, "samples_per_class": 20, "accuracy": 0.5, "epochs": 4, "status": "Completed" }
            """);
        Assert.Equal(TrainingMethod.Refilled, old.Method);
        Assert.Equal(RunStatus.Completed, old.Status);
        Assert.Equal(new Dictionary<string, double> { ["stage1.tau"] = 4, ["stage2.tau"] = 2, ["stage2.lambda"] = 0.1 }, old.Hyperparameters);

        // A baseline's result had no values in those columns; its method's name reads in any letter case.
        var baseline = ReadJson("""{ "method": "knowledgedistillation", "lambda": null, "tau1": null, "tau2": null, "status": "completed" }""");
        Assert.Equal(TrainingMethod.KnowledgeDistillation, baseline.Method);
        Assert.Empty(baseline.Hyperparameters);
    }

    [Fact]
    public void AResultKeepsEveryHyperparameterOfItsStagesByExperimentFileKeyAndReadsBackAsWritten()
    {
        var run = Experiment.Parse("""
            sweep: { baseline.beta: [100, 1000] }
            stages: { baseline: { method: attentiontransfer, epochs: 3 } }
            name: t
            data: { classes: [5, 6] }
            teacher: { file: teacher.refilled }
            student: { architecture: smallcnn-16 }
            """).Expand()[1];
        var values = RunResult.HyperparametersOf(run.Config);
        Assert.Equal(1000, values["baseline.beta"]);
        Assert.Equal(3, values["baseline.epochs"]);
        Assert.Equal(1, values["baseline.nesterov"]);
        Assert.DoesNotContain(values.Keys, k => k.StartsWith("stage", StringComparison.Ordinal));

        var path = Path.Combine(dir, "written.json");
        new RunResult { Method = run.Config.Method, Hyperparameters = values, Status = RunStatus.Completed }.Write(path);
        Assert.Contains("\"method\": \"AttentionTransfer\"", File.ReadAllText(path));
        Assert.Contains("\"baseline.beta\": 1000", File.ReadAllText(path));
        var read = RunResult.Read(path);
        Assert.Equal(TrainingMethod.AttentionTransfer, read.Method);
        Assert.Equal(values, read.Hyperparameters);
    }

    [Fact]
    public void TheMethodsAreRefilledAndEveryBaselineUnderItsOwnNameAndNumber()
    {
        Assert.Equal(["Refilled", .. Enum.GetNames<BaselineMethod>()], TrainingMethods.All.Select(m => m.ToString()));
        foreach (var baseline in Enum.GetValues<BaselineMethod>())
        {
            Assert.Equal(baseline.ToString(), TrainingMethods.Of(baseline).ToString());
            Assert.Equal(baseline, TrainingMethods.Of(baseline).Baseline());
        }
        Assert.Null(TrainingMethod.Refilled.Baseline());
        Assert.Equal(TrainingMethod.Crd, TrainingMethods.Parse("crd"));
        Assert.Null(TrainingMethods.Parse("0"));
        Assert.Null(TrainingMethods.Parse("rkd2"));
    }
}
