using Refilled.Engine.Checkpoints;
using System.Globalization;
using System.Net;
using System.Text;
using Refilled.Engine.Evaluation;
using Refilled.Engine.Reporting;
using Refilled.Engine.Training;

namespace Refilled.Engine.Experiments;

/// <summary>
/// The pictures of a set of runs: first the paired comparison with the reference method (when there is one and at least
/// two seeds), then final accuracy per setting (mean and min–max over seeds on an axis fitted to the data), a heatmap
/// when two hyperparameters are swept, and validation and loss curves as means over seeds with a min–max band; plus a
/// self-contained report.html that embeds them as base64 (each with its layout as data attributes) and tabulates every run.
/// </summary>
public static class ExperimentReport
{
    /// <summary>The report's page, beside its pictures.</summary>
    public const string HtmlFile = "report.html";

    /// <summary>Every file <see cref="Write"/> may write, so that callers can refuse to replace any of them.</summary>
    public static IReadOnlyList<string> Files { get; } = [HtmlFile, PairedFile, AccuracyFile, HeatmapFile, CurvesFile, LossesFile];

    const string PairedFile = "paired.png", AccuracyFile = "accuracy.png", HeatmapFile = "heatmap.png", CurvesFile = "curves.png", LossesFile = "losses.png";

    /// <summary>The method others are compared with unless the caller names another.</summary>
    public const string DefaultReference = "Scratch";

    const string StepsAxis = "SGD steps (batches trained, stage after stage), at the end of each epoch";

    public static IReadOnlyList<string> Write(IReadOnlyList<RunRecord> runs, string outputPath, string reference = DefaultReference, bool perRunCurves = false)
    {
        if (runs.Count == 0) throw new ArgumentException("There are no runs to report on.", nameof(runs));
        Directory.CreateDirectory(outputPath);
        var pictures = new List<Picture>();
        var notes = new List<string>();

        var finished = runs.Where(r => r.Result?.ValidationAccuracy is not null || r.Result?.Accuracy is not null).ToList();
        var axes = finished.SelectMany(r => r.Values.Keys).Where(k => k != "seed").Distinct().ToList();
        string Category(RunRecord r) => axes.Count == 0 ? "all" : string.Join(" ", axes.Select(r.Label));
        string Setting(RunRecord r) => axes.Count == 0 ? r.Config.Method.ToString() : string.Join(" ", axes.Select(a => $"{a}={r.Label(a)}"));

        var comparison = Compare(finished, axes, reference, notes);
        if (comparison is { Differences.Count: > 0 } paired)
        {
            var chart = new IntervalChart(paired.Differences.Select(d => new ChartInterval(d.Method, d.K is int k ? $"K={k}" : "all images",
                d.MeanDifference, d.Lower, d.Upper, $"{VerdictText(d.Verdict)} (n={d.N})")))
            {
                Title = $"Difference to {paired.Reference} on the same seed", ValueAxisLabel = $"{paired.Measure} − {paired.Reference}'s (points)",
                ReferenceLine = 0,
            };
            pictures.Add(Save(chart, outputPath, PairedFile, 1000, 600,
                $"{Capitalise(paired.Measure)} of each method minus {paired.Reference}'s on the same seed{(paired.Differences.Any(d => d.K is not null) ? " and K" : "")}, " +
                "in percentage points: mean over the pairs (dot) and its 95 % Student-t interval (whiskers); a method is ahead or behind " +
                "only where the interval excludes 0 (dashed line)."));
        }

        if (finished.Count > 0)
        {
            var intervals = finished.GroupBy(Setting).SelectMany(g =>
            {
                var list = new List<ChartInterval>();
                if (g.Select(r => r.Result!.ValidationAccuracy).OfType<double>().ToList() is { Count: > 0 } validation)
                    list.Add(ChartInterval.MeanAndRange(g.Key, "validation", validation));
                if (g.Select(r => r.Result!.TestAccuracy).OfType<double>().ToList() is { Count: > 0 } test)
                    list.Add(ChartInterval.MeanAndRange(g.Key, "test", test));
                return list;
            }).ToList();
            if (intervals.Count > 0)
            {
                var chart = new IntervalChart(intervals)
                {
                    Title = "Accuracy of the best-epoch weights (mean and min–max over seeds)", ValueAxisLabel = "accuracy (fraction correct)",
                    ValueBounds = (0, 1),
                };
                pictures.Add(Save(chart, outputPath, AccuracyFile, 1000, 600,
                    "Final accuracy of the best-epoch weights per setting: mean over seeds (dot) and the lowest to highest seed (whiskers). " +
                    $"The axis runs from {IntervalChart.FormatRange(chart.ValueRange())}, fitted to the data, not from 0."));
            }
        }

        // A heatmap needs two swept axes; one axis is read better from the accuracy chart's points and whiskers.
        if (finished.Count > 0 && axes.Count > 1)
        {
            var (rowKey, columnKey) = (axes[0], axes[1]);
            var rowValues = finished.Select(r => r.Values[rowKey]).Distinct().Order().ToList();
            var columnValues = finished.Select(r => r.Values[columnKey]).Distinct().Order().ToList();
            var grid = new double[rowValues.Count, columnValues.Count];
            for (var i = 0; i < rowValues.Count; i++)
                for (var j = 0; j < columnValues.Count; j++)
                {
                    var cell = finished.Where(r => r.Values[rowKey] == rowValues[i] && r.Values[columnKey] == columnValues[j])
                        .Select(r => r.Result!.ValidationAccuracy ?? r.Result!.Accuracy!.Value).ToList();
                    grid[i, j] = cell.Count == 0 ? double.NaN : cell.Average();
                }
            string Label(string key, double value) => finished.First(r => r.Values.TryGetValue(key, out var v) && v == value).Label(key);
            var rest = axes.Count > 2 ? $", averaged over {string.Join(" and ", axes.Skip(2))}" : "";
            pictures.Add(Save(new HeatmapChart(grid, rowValues.Select(v => Label(rowKey, v)).ToList(), columnValues.Select(v => Label(columnKey, v)).ToList())
                { Title = "Mean validation accuracy", RowAxisLabel = rowKey, ColumnAxisLabel = columnKey },
                outputPath, HeatmapFile, 900, 700, $"Mean validation accuracy over seeds{rest}, {rowKey} × {columnKey}."));
        }

        var boundaries = runs.SelectMany(r => StageBoundary.Of(r.History)).ToList();
        var spread = perRunCurves ? "mean over seeds (thick line), each seed (thin lines) and the lowest to highest seed (band)"
            : "mean over seeds (line) and the lowest to highest seed (band)";
        var curves = Aggregate(runs, Setting, r => CurveSeries.Validation(Setting(r), r.History));
        if (curves.Count > 0)
        {
            var chart = new CurveChart(curves)
            {
                Title = "Validation during training", XAxisLabel = StepsAxis, YAxisLabel = "validation accuracy (fraction correct)",
                ShowRuns = perRunCurves, Boundaries = boundaries, ValueBounds = (0, 1),
            };
            pictures.Add(Save(chart, outputPath, CurvesFile, 1200, 650,
                $"Validation accuracy during training per setting: {spread}. Stage 1 is scored by nearest-class-mean accuracy (ncm_accuracy), " +
                "stage 2 and the baselines by the classifier's accuracy; dashed lines mark where a stage hands over to the next."));
        }
        var terms = Aggregate(runs, Setting, r => LossTermCurves(Setting(r), r.History));
        if (terms.Count > 0)
            pictures.Add(Save(new CurveChart(terms)
                {
                    Title = "Loss terms during training", XAxisLabel = StepsAxis, YAxisLabel = "loss term, mean over the epoch's batches",
                    ShowRuns = perRunCurves, Boundaries = boundaries,
                },
                outputPath, LossesFile, 1200, 650,
                $"Training loss terms per setting and stage (stage 1: relationship; stage 2: cross_entropy and kl, the balance λ sets): {spread}."));

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Refilled report</title>")
            .Append("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1em}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}img{max-width:100%;height:auto}</style></head><body>\n")
            .Append($"<h1>Refilled report: {Encode(string.Join(", ", runs.Select(r => r.Experiment).Distinct()))}</h1>\n")
            .Append($"<p>{runs.Count} runs, {runs.Count(r => r.Result != null)} finished. Written {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC by Refilled {ExperimentRunner.ModuleVersion}.</p>\n");
        foreach (var picture in pictures) AppendPicture(html, picture);
        foreach (var line in Fairness(runs).Concat(notes)) html.Append($"<p>{Encode(line)}</p>\n");
        if (comparison is { Differences.Count: > 0 }) AppendComparison(html, comparison);
        if (finished.Count > 0) AppendSummary(html, finished, axes, Category);
        html.Append("<table><tr><th>run</th><th>id</th><th>status</th><th>method</th><th>SGD steps</th><th>validation data</th><th>seed</th>" +
                    "<th>validation</th><th>test</th><th>NCM</th><th>seconds</th></tr>\n");
        foreach (var r in runs)
            html.Append($"<tr><td>{r.RunIndex}</td><td>{Encode(r.RunId)}</td><td>{r.Status}</td><td>{r.Config.Method}</td><td>{Encode(StepsByStage(r))}</td>" +
                        $"<td>{Encode(ValidationKind(r.Config.Data))}</td><td>{r.Config.Seed}</td><td>{F(r.Result?.ValidationAccuracy)}</td>" +
                        $"<td>{F(r.Result?.TestAccuracy)}</td><td>{F(r.Result?.NcmAccuracy)}</td><td>{F(r.Result?.Seconds, "0.0")}</td></tr>\n");
        html.Append("</table>\n</body></html>\n");
        var report = Path.Combine(outputPath, HtmlFile);
        AtomicFile.WriteAllBytes(report, Encoding.UTF8.GetBytes(html.ToString()));
        return [.. pictures.Select(p => p.File), report];
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

    /// <summary>One line per stage and named loss term of a run, over SGD steps counted across stages.</summary>
    static IReadOnlyList<CurveSeries> LossTermCurves(string name, IReadOnlyList<Training.EpochMetrics> history) =>
        CurveSeries.StepsAtEpochEnds(history)
            .SelectMany(p => (p.Row.Terms ?? new Dictionary<string, double>()).Select(t => (p.Step, p.Row.Stage, Term: t.Key, t.Value)))
            .GroupBy(p => (p.Stage, p.Term))
            .Select(g => new CurveSeries($"{name} {g.Key.Stage} {g.Key.Term}", [.. g.Select(p => p.Step)], [.. g.Select(p => p.Value)]))
            .ToList();

    /// <summary>The curves of each run, merged per setting and name into a mean over seeds with a min–max band.</summary>
    static IReadOnlyList<CurveSeries> Aggregate(IReadOnlyList<RunRecord> runs, Func<RunRecord, string> setting, Func<RunRecord, IReadOnlyList<CurveSeries>> curves) =>
        runs.GroupBy(setting)
            .SelectMany(g => g.SelectMany(curves).GroupBy(c => c.Name).Select(c => CurveSeries.MeanWithRange(c.Key, [.. c])))
            .ToList();

    /// <summary>The paired differences to <paramref name="Reference"/> and the accuracy they compare ("test accuracy").</summary>
    sealed record Comparison(string Reference, string Measure, IReadOnlyList<PairedDifference> Differences);

    /// <summary>
    /// Each setting's runs paired by seed (and K) with the reference method's: a setting is the method with any other swept
    /// value than seed and K (e.g. "Refilled lambda=1"), the reference is its method name alone. Null when there is nothing
    /// to compare (one method only); a note says why when pairing fails (e.g. a single seed).
    /// </summary>
    static Comparison? Compare(IReadOnlyList<RunRecord> finished, IReadOnlyList<string> axes, string reference, List<string> notes)
    {
        var measured = finished.Where(r => r.Result!.Accuracy is not null).ToList();
        if (measured.Select(r => r.Config.Method).Distinct().Count() < 2) return null;
        var others = axes.Where(a => a is not ("method" or "samples_per_class")).ToList();
        var referenceMethod = TrainingMethods.Parse(reference);
        string Method(RunRecord r) =>
            r.Config.Method == referenceMethod || others.Count == 0 ? r.Config.Method.ToString()
            : $"{r.Config.Method} {string.Join(" ", others.Select(a => $"{a}={r.Label(a)}"))}";
        var measure = measured.All(r => r.Result!.TestAccuracy is not null) ? "test accuracy" : "accuracy (test where measured, else validation)";
        try
        {
            var differences = PairedComparison.Compare(
                measured.Select(r => new ComparedResult(Method(r), r.Config.Seed, r.Config.Data.SamplesPerClass, r.Result!.Accuracy!.Value)), reference);
            return new Comparison(differences.FirstOrDefault()?.Reference ?? reference, measure, differences);
        }
        catch (PairingException e)
        {
            notes.Add($"No paired comparison with {reference}: {e.Message}");
            return null;
        }
    }

    /// <summary>The paired table: what the first picture shows, in numbers.</summary>
    static void AppendComparison(StringBuilder html, Comparison comparison)
    {
        static string P(double points) => points.ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture);
        html.Append($"<h2>Paired difference to {Encode(comparison.Reference)} ({Encode(comparison.Measure)}, points)</h2>\n")
            .Append("<table class=\"paired\"><tr><th>method</th><th>K</th><th>n (seeds)</th><th>mean difference</th><th>95 % interval</th><th>verdict</th></tr>\n");
        foreach (var d in comparison.Differences)
            html.Append($"<tr><td>{Encode(d.Method)}</td><td>{d.K?.ToString(CultureInfo.InvariantCulture) ?? "all"}</td><td>{d.N}</td><td>{P(d.MeanDifference)}</td>" +
                        $"<td>[{P(d.Lower)}, {P(d.Upper)}]</td><td>{VerdictText(d.Verdict)}</td></tr>\n");
        html.Append("</table>\n");
    }

    static string VerdictText(ComparisonVerdict verdict) => verdict switch
    {
        ComparisonVerdict.Ahead => "ahead",
        ComparisonVerdict.Behind => "behind",
        _ => "no clear difference",
    };

    static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>A saved chart with its caption and the layout it was drawn with.</summary>
    sealed record Picture(string File, string Caption, RenderedFigure Rendered);

    static Picture Save(Chart chart, string folder, string name, int width, int height, string caption)
    {
        var path = Path.Combine(folder, name);
        return new Picture(path, caption, new Figure(chart).SavePng(path, width, height));
    }

    /// <summary>
    /// The picture inline, with the geometry of its (single) panel in image pixels as data attributes: the plot area, the
    /// legend box and the value axis's range, so that a reader (or a test) can check the layout without reading pixels.
    /// </summary>
    static void AppendPicture(StringBuilder html, Picture picture)
    {
        var panel = picture.Rendered.Panels[0];
        var axis = string.Join(' ', new[] { panel.ValueAxisMin, panel.ValueAxisMax }.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
        html.Append($"<figure id=\"{Encode(Path.GetFileNameWithoutExtension(picture.File))}\"><img alt=\"{Encode(picture.Caption)}\" ")
            .Append($"width=\"{picture.Rendered.Width}\" height=\"{picture.Rendered.Height}\" data-plot-area=\"{panel.PlotArea}\" ")
            .Append(panel.Legend is { } legend ? $"data-legend=\"{legend}\" " : "")
            .Append($"data-value-axis=\"{axis}\" data-value-axis-label=\"{Encode(panel.ValueAxisLabel)}\" ")
            .Append($"src=\"data:image/png;base64,{Convert.ToBase64String(picture.Rendered.Png)}\"><figcaption>{Encode(picture.Caption)}</figcaption></figure>\n");
    }

    static string Encode(string text) => WebUtility.HtmlEncode(text);

    static string F(double? value, string format = "0.0000") => value?.ToString(format, CultureInfo.InvariantCulture) ?? "";
}
