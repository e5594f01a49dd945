using Refilled.Engine.Experiments;
using Refilled.Engine.Training;

namespace Refilled.Engine.Tests.Experiments;

public class ExperimentReportTests
{
    static EpochMetrics Epoch(TrainingStage stage, int batches) => new(stage, 1, 1, 0, batches, 0, 0, null, null, "accuracy", 0.1, 1);

    static RunRecord Run(ExperimentConfig config, params EpochMetrics[] history) =>
        new(config.Name, 0, "run", "/tmp/run", RunStatus.Completed, new Dictionary<string, double>(), config, null, history);

    static readonly DataConfig FewShot = new() { Classes = [5, 6], SamplesPerClass = 20, ValidationFraction = 0, ValidationPerClass = 10 };

    static ExperimentConfig Refilled(DataConfig data) => new() { Name = "e", Data = data, Stage1 = new Stage1Recipe(), Stage2 = new Stage2Recipe() };

    static ExperimentConfig Scratch(DataConfig data) => new() { Name = "e", Data = data, Baseline = new ScratchRecipe() };

    [Fact]
    public void EqualBudgetsAreStatedPerMethodWithTheValidationKind()
    {
        var lines = ExperimentReport.Fairness([
            Run(Refilled(FewShot), Epoch(TrainingStage.Stage1, 150), Epoch(TrainingStage.Stage1, 150), Epoch(TrainingStage.Stage2, 300)),
            Run(Scratch(FewShot), Epoch(TrainingStage.Scratch, 300), Epoch(TrainingStage.Scratch, 300)),
        ]);
        Assert.Equal("Budget in SGD steps (batches trained, all stages; teacher pretraining not counted). " +
                     "K = 20: Refilled: 600 (300 + 300) steps; Scratch: 600 steps (equal budget).", lines[0]);
        Assert.StartsWith("Validation: 10 per class (K = 20 for training).", lines[1]);
        Assert.Contains("test labels are never used for selection", lines[1]);
    }

    [Fact]
    public void UnequalBudgetsAndEveryValidationKindAreSaidPlainly()
    {
        var fraction = FewShot with { ValidationPerClass = null, ValidationFraction = 0.2, SamplesPerClass = null };
        var lines = ExperimentReport.Fairness([
            Run(Refilled(fraction), Epoch(TrainingStage.Stage1, 300), Epoch(TrainingStage.Stage2, 300)),
            Run(Scratch(fraction), Epoch(TrainingStage.Scratch, 300)),
            Run(Scratch(fraction with { ValidationFraction = 0 })),
        ]);
        Assert.EndsWith("all training images: Refilled: 600 (300 + 300) steps; Scratch: 300 steps (UNEQUAL budgets: compare with care).", lines[0]);
        Assert.StartsWith("Validation: 20 % of each class; none (last epoch).", lines[1]);
    }
}
