using Refilled.Engine.Checkpoints;
using System.Globalization;
using System.Net;
using System.Text;
using Refilled.Engine.Reporting;

namespace Refilled.Engine.Experiments;

/// <summary>
/// The pictures of a set of runs: per-run validation curves, a sweep heatmap of mean validation accuracy over the first
/// two swept hyperparameters (seeds averaged), and accuracy mean ± std over seeds per setting; plus a self-contained
/// report.html that embeds them as base64 and tabulates every run.
/// </summary>
public static class ExperimentReport
{
    /// <summary>The report's page, beside its pictures.</summary>
    public const string HtmlFile = "report.html";

    /// <summary>Every file <see cref="Write"/> may write, so that callers can refuse to replace any of them.</summary>
    public static IReadOnlyList<string> Files { get; } = [HtmlFile, "curves.png", "losses.png", "heatmap.png", "accuracy.png"];

    public static IReadOnlyList<string> Write(IReadOnlyList<RunRecord> runs, string outputPath)
    {
        if (runs.Count == 0) throw new ArgumentException("There are no runs to report on.", nameof(runs));
        Directory.CreateDirectory(outputPath);
        var pngs = new List<(string File, string Caption)>();

        var curves = runs.SelectMany(r => CurveSeries.Validation(r.RunId, r.History)).ToList();
        if (curves.Count > 0)
            pngs.Add(Save(new CurveChart(curves) { Title = "Validation during training", XAxisLabel = "SGD step (stages in sequence)", YAxisLabel = "validation metric" },
                outputPath, "curves.png", 1200, 700, "Per-run validation curves (stage 1: NCM accuracy, stage 2: classifier accuracy)."));

        var terms = runs.SelectMany(r => LossTermCurves(r.RunId, r.History)).ToList();
        if (terms.Count > 0)
            pngs.Add(Save(new CurveChart(terms) { Title = "Loss terms during training", XAxisLabel = "SGD step (stages in sequence)", YAxisLabel = "epoch mean" },
                outputPath, "losses.png", 1200, 700,
                "Per-run training loss terms, epoch means (stage 1: relationship; stage 2: cross_entropy and kl, the balance λ sets)."));

        var finished = runs.Where(r => r.Result?.ValidationAccuracy is not null || r.Result?.Accuracy is not null).ToList();
        var axes = finished.SelectMany(r => r.Values.Keys).Where(k => k != "seed").Distinct().ToList();
        if (finished.Count > 0 && axes.Count > 0)
        {
            var rowKey = axes[0];
            var columnKey = axes.Count > 1 ? axes[1] : null;
            var rowValues = finished.Select(r => r.Values[rowKey]).Distinct().Order().ToList();
            var columnValues = columnKey is null ? [double.NaN] : finished.Select(r => r.Values[columnKey]).Distinct().Order().ToList();
            var grid = new double[rowValues.Count, columnValues.Count];
            for (var i = 0; i < rowValues.Count; i++)
                for (var j = 0; j < columnValues.Count; j++)
                {
                    var cell = finished.Where(r => r.Values[rowKey] == rowValues[i] && (columnKey is null || r.Values[columnKey] == columnValues[j]))
                        .Select(r => r.Result!.ValidationAccuracy ?? r.Result!.Accuracy!.Value).ToList();
                    grid[i, j] = cell.Count == 0 ? double.NaN : cell.Average();
                }
            string Label(string key, double value) => finished.First(r => r.Values.TryGetValue(key, out var v) && v == value).Label(key);
            pngs.Add(Save(new HeatmapChart(grid, rowValues.Select(v => Label(rowKey, v)).ToList(),
                    columnKey is null ? ["all"] : columnValues.Select(v => Label(columnKey, v)).ToList())
                { Title = "Mean validation accuracy", RowAxisLabel = rowKey, ColumnAxisLabel = columnKey ?? "" },
                outputPath, "heatmap.png", 900, 700, $"Mean validation accuracy over seeds, {rowKey}{(columnKey is null ? "" : " × " + columnKey)}."));
        }
        string Category(RunRecord r) => axes.Count == 0 ? "all" : string.Join(" ", axes.Select(r.Label));
        if (finished.Count > 0)
        {
            var samples = finished.SelectMany(r =>
            {
                var category = Category(r);
                var list = new List<ChartSample>();
                if (r.Result!.ValidationAccuracy is double val) list.Add(new ChartSample(category, "validation", val));
                if (r.Result.TestAccuracy is double test) list.Add(new ChartSample(category, "test", test));
                return list;
            }).ToList();
            if (samples.Count > 0)
                pngs.Add(Save(new GroupedBarChart(samples)
                    {
                        Title = "Accuracy (mean ± std over seeds, best-epoch weights)", CategoryName = axes.Count == 0 ? null : string.Join(" ", axes),
                        ValueAxisLabel = "accuracy", ShowValueLabels = true,
                    },
                    outputPath, "accuracy.png", 1000, 700, "Final accuracy of the best-epoch weights, mean ± sample std over seeds."));
        }

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Refilled report</title>")
            .Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}img{max-width:100%}</style></head><body>\n")
            .Append($"<h1>Refilled report: {Encode(string.Join(", ", runs.Select(r => r.Experiment).Distinct()))}</h1>\n")
            .Append($"<p>{runs.Count} runs, {runs.Count(r => r.Result != null)} finished. Written {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC by Refilled {ExperimentRunner.ModuleVersion}.</p>\n");
        foreach (var (file, caption) in pngs)
            html.Append($"<figure><img alt=\"{Encode(caption)}\" src=\"data:image/png;base64,{Convert.ToBase64String(File.ReadAllBytes(file))}\"><figcaption>{Encode(caption)}</figcaption></figure>\n");
        foreach (var line in Fairness(runs)) html.Append($"<p>{Encode(line)}</p>\n");
        if (finished.Count > 0) AppendSummary(html, finished, axes, Category);
        html.Append("<table><tr><th>run</th><th>id</th><th>status</th><th>method</th><th>SGD steps</th><th>validation data</th><th>seed</th>" +
                    "<th>validation</th><th>test</th><th>NCM</th><th>seconds</th></tr>\n");
        foreach (var r in runs)
            html.Append($"<tr><td>{r.RunIndex}</td><td>{Encode(r.RunId)}</td><td>{r.Status}</td><td>{Encode(r.Config.Method)}</td><td>{Encode(StepsByStage(r))}</td>" +
                        $"<td>{Encode(ValidationKind(r.Config.Data))}</td><td>{r.Config.Seed}</td><td>{F(r.Result?.ValidationAccuracy)}</td>" +
                        $"<td>{F(r.Result?.TestAccuracy)}</td><td>{F(r.Result?.NcmAccuracy)}</td><td>{F(r.Result?.Seconds, "0.0")}</td></tr>\n");
        html.Append("</table>\n</body></html>\n");
        var report = Path.Combine(outputPath, HtmlFile);
        AtomicFile.WriteAllBytes(report, Encoding.UTF8.GetBytes(html.ToString()));
        return [.. pngs.Select(p => p.File), report];
    }

    /// <summary>
    /// Accuracy mean ± sample std over seeds per setting (e.g. per method), with each setting's training budget in SGD
    /// steps (all stages); <see cref="Fairness"/> above it says how budgets and validation compare.
    /// </summary>
    static void AppendSummary(StringBuilder html, IReadOnlyList<RunRecord> finished, IReadOnlyList<string> axes, Func<RunRecord, string> category)
    {
        static string MeanStd(IReadOnlyList<double> x) => x.Count == 0 ? ""
            : x.Count == 1 ? x[0].ToString("0.0000", CultureInfo.InvariantCulture)
            : $"{x.Average().ToString("0.0000", CultureInfo.InvariantCulture)} ± {Math.Sqrt(x.Sum(v => (v - x.Average()) * (v - x.Average())) / (x.Count - 1)).ToString("0.0000", CultureInfo.InvariantCulture)}";
        html.Append($"<h2>Summary{(axes.Count == 0 ? "" : " by " + Encode(string.Join(" ", axes)))}</h2>\n")
            .Append("<table><tr><th>setting</th><th>runs</th><th>SGD steps</th><th>validation</th><th>test</th></tr>\n");
        foreach (var group in finished.GroupBy(category))
        {
            var steps = group.Select(Steps).Distinct().Order().ToList();
            html.Append($"<tr><td>{Encode(group.Key)}</td><td>{group.Count()}</td><td>{string.Join(" / ", steps)}</td>" +
                        $"<td>{MeanStd([.. group.Select(r => r.Result!.ValidationAccuracy).OfType<double>()])}</td>" +
                        $"<td>{MeanStd([.. group.Select(r => r.Result!.TestAccuracy).OfType<double>()])}</td></tr>\n");
        }
        html.Append("</table>\n");
    }

    /// <summary>
    /// What a reader needs to judge a comparison: each method's budget in SGD steps (per K), the validation data the
    /// best epochs were chosen on, and that test labels chose nothing. Steps are counted from the runs' histories.
    /// </summary>
    public static IReadOnlyList<string> Fairness(IReadOnlyList<RunRecord> runs)
    {
        var lines = new List<string>();
        var trained = runs.Where(r => r.History.Count > 0).ToList();
        if (trained.Count > 0)
        {
            var budgets = trained.GroupBy(r => r.Config.Data.SamplesPerClass).OrderBy(g => g.Key ?? int.MaxValue).Select(k =>
            {
                var methods = k.GroupBy(r => r.Config.Method).Select(m =>
                {
                    var steps = m.Select(StepsByStage).Distinct().Order(StringComparer.Ordinal);
                    return $"{m.Key}: {string.Join(" or ", steps)} steps";
                });
                var equal = k.GroupBy(r => r.Config.Method).Select(m => m.Select(Steps).Max()).Distinct().Count() == 1;
                var scope = k.Key is int shots ? $"K = {shots}" : "all training images";
                return $"{scope}: {string.Join("; ", methods)}{(k.Select(r => r.Config.Method).Distinct().Count() > 1 ? equal ? " (equal budget)" : " (UNEQUAL budgets: compare with care)" : "")}";
            });
            lines.Add($"Budget in SGD steps (batches trained, all stages; teacher pretraining not counted). {string.Join(". ", budgets)}.");
        }
        lines.Add($"Validation: {string.Join("; ", runs.Select(r => ValidationKind(r.Config.Data)).Distinct())}. Best epochs (and any swept " +
                  "setting) are chosen on validation data drawn from the training images; test labels are never used for selection, " +
                  "only to measure the final students. NCM class means come from the training images.");
        return lines;
    }

    /// <summary>The validation data of a run, e.g. "10 per class" or "20 % of each class".</summary>
    public static string ValidationKind(DataConfig data) =>
        data.ValidationPerClass is int n ? $"{n} per class{(data.SamplesPerClass is int k ? $" (K = {k} for training)" : "")}"
        : data.ValidationFraction > 0 ? $"{(100 * data.ValidationFraction).ToString("0.#", CultureInfo.InvariantCulture)} % of each class"
        : "none (last epoch)";

    static int Steps(RunRecord run) => run.History.Sum(h => h.Batches);

    /// <summary>"600 (300 + 300)" for a run of two stages, "600" for one; empty before any epoch.</summary>
    static string StepsByStage(RunRecord run)
    {
        if (run.History.Count == 0) return "";
        var stages = run.History.GroupBy(h => h.Stage).Select(g => g.Sum(h => h.Batches)).ToList();
        return stages.Count == 1 ? $"{stages[0]}" : $"{stages.Sum()} ({string.Join(" + ", stages)})";
    }

    /// <summary>One line per run, stage and named loss term, over SGD steps counted across stages.</summary>
    static IEnumerable<CurveSeries> LossTermCurves(string run, IReadOnlyList<Training.EpochMetrics> history)
    {
        var steps = 0.0;
        return history.Select(row => (Step: steps += row.Batches, row))
            .ToList()
            .SelectMany(p => (p.row.Terms ?? new Dictionary<string, double>()).Select(t => (p.Step, p.row.Stage, Term: t.Key, t.Value)))
            .GroupBy(p => (p.Stage, p.Term))
            .Select(g => new CurveSeries($"{run} {g.Key.Stage} {g.Key.Term}", [.. g.Select(p => p.Step)], [.. g.Select(p => p.Value)]));
    }

    static (string, string) Save(Chart chart, string folder, string name, int width, int height, string caption)
    {
        var path = Path.Combine(folder, name);
        new Figure(chart).SavePng(path, width, height);
        return (path, caption);
    }

    static string Encode(string text) => WebUtility.HtmlEncode(text);

    static string F(double? value, string format = "0.0000") => value?.ToString(format, CultureInfo.InvariantCulture) ?? "";
}
