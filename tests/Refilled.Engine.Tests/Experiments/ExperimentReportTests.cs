using System.Text.RegularExpressions;
using Refilled.Engine.Experiments;
using Refilled.Engine.Methods;
using Refilled.Engine.Reporting;
using Refilled.Engine.Training;

namespace Refilled.Engine.Tests.Experiments;

public sealed class ExperimentReportTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("refilled-report-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

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

    static EpochMetrics Validated(TrainingStage stage, double accuracy) => new(stage, 1, 1, 0.5, 3, 0, 0, null, accuracy, "accuracy", 0.1, 1,
        new Dictionary<string, double> { ["cross_entropy"] = 0.5 });

    static RunRecord Finished(ExperimentConfig config, int seed, double test, IReadOnlyDictionary<string, double> values, IReadOnlyDictionary<string, string> labels) =>
        new("e", 0, $"{string.Join("_", labels.Select(l => $"{l.Key}={l.Value}"))}_seed={seed}", "/tmp/run", RunStatus.Completed, values, config with { Seed = seed },
            new RunResult { Method = config.Method, Seed = seed, ValidationAccuracy = test + 0.01, TestAccuracy = test, Accuracy = test },
            config.Baseline is null ? [Validated(TrainingStage.Stage1, 0.9), Validated(TrainingStage.Stage2, test)] : [Validated(TrainingStage.Scratch, 0.8), Validated(TrainingStage.Scratch, test)],
            Labels: labels);

    static RunRecord[] MethodSweep(params (double Refilled, double Scratch)[] seeds) =>
    [
        .. seeds.SelectMany((pair, seed) => new[]
        {
            Finished(Refilled(FewShot), seed, pair.Refilled, new Dictionary<string, double> { ["method"] = -1 }, new Dictionary<string, string> { ["method"] = "refilled" }),
            Finished(Scratch(FewShot), seed, pair.Scratch, new Dictionary<string, double> { ["method"] = 0 }, new Dictionary<string, string> { ["method"] = "scratch" }),
        }),
    ];

    static string Attribute(string html, string figure, string name) =>
        Regex.Match(html, $"<figure id=\"{figure}\"><img [^>]*{name}=\"([^\"]*)\"").Groups[1].Value;

    static PixelBox Box(string text) => text.Split(' ').Select(float.Parse).ToArray() is [var l, var t, var r, var b] ? new PixelBox(l, t, r, b) : throw new FormatException(text);

    [Fact]
    public void AMethodSweepOpensWithThePairedComparisonAndTabulatesIt()
    {
        // Refilled − Scratch per seed: +2, +3, +1 points; mean +2, sd 1, t(0.975, 2) = 4.303: ±2.484.
        var files = ExperimentReport.Write(MethodSweep((0.90, 0.88), (0.92, 0.89), (0.91, 0.90)), folder);
        Assert.Equal(["paired.png", "accuracy.png", "curves.png", "losses.png", "report.html"], files.Select(Path.GetFileName));
        var html = File.ReadAllText(files[^1]);
        Assert.Contains("<h2>Paired difference to Scratch (test accuracy, points)</h2>", html);
        Assert.Contains("<tr><td>Refilled</td><td>20</td><td>3</td><td>+2.00</td><td>[−0.48, +4.48]</td><td>no clear difference</td></tr>", html);
        Assert.True(html.IndexOf("<figure id=\"paired\"", StringComparison.Ordinal) < html.IndexOf("<figure id=\"accuracy\"", StringComparison.Ordinal));
        var axis = Attribute(html, "accuracy", "data-value-axis").Split(' ').Select(double.Parse).ToArray();
        Assert.True(axis[0] > 0.8 && axis[1] <= 1, $"accuracy axis {axis[0]}..{axis[1]}");
        Assert.Contains(FormattableString.Invariant($"The axis runs from {axis[0]:0.000} to {axis[1]:0.000}, fitted to the data"), html);
        foreach (var figure in new[] { "accuracy", "curves", "losses" })
            Assert.False(Box(Attribute(html, figure, "data-legend")).Overlaps(Box(Attribute(html, figure, "data-plot-area"))), figure);
    }

    [Fact]
    public void OneSeedGivesNoIntervalAndTheReportSaysWhy()
    {
        var files = ExperimentReport.Write(MethodSweep((0.90, 0.88)), folder);
        Assert.DoesNotContain("paired.png", files.Select(Path.GetFileName));
        Assert.Contains("No paired comparison with Scratch: Refilled vs Scratch at K = 20: 1 pair by seed; an interval needs at least 2.", File.ReadAllText(files[^1]));
    }

    [Fact]
    public void OnlyTwoSweptAxesGetAHeatmap()
    {
        RunRecord Run(double lambda, double tau2, int seed) => Finished(Refilled(FewShot), seed, 0.8 + lambda / 100,
            new Dictionary<string, double> { ["lambda"] = lambda, ["tau2"] = tau2 }, new Dictionary<string, string> { ["lambda"] = $"{lambda}", ["tau2"] = $"{tau2}" });
        var grid = ExperimentReport.Write([.. from l in new[] { 0.1, 1 } from t in new[] { 1.0, 4 } from s in new[] { 0, 1 } select Run(l, t, s)], folder);
        Assert.Contains("heatmap.png", grid.Select(Path.GetFileName));
        var line = ExperimentReport.Write([.. from l in new[] { 0.1, 1, 10 } from s in new[] { 0, 1 } select Run(l, 1, s) with { Values = new Dictionary<string, double> { ["lambda"] = l } }], folder);
        Assert.DoesNotContain("heatmap.png", line.Select(Path.GetFileName));
        Assert.DoesNotContain("paired.png", line.Select(Path.GetFileName));
    }
}
