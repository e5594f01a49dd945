using Refilled.Engine.Checkpoints;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Refilled.Engine.Training;

namespace Refilled.Engine.Experiments;

/// <summary>The files of a run folder and how they are written: atomically, so a kill never leaves half a file.</summary>
public static class RunFiles
{
    public const string Config = "config.yaml";
    public const string Metrics = "metrics.csv";
    public const string Result = "result.json";
    public const string Run = "run.json";
    public const string Log = "run.log";
    public const string Lock = "run.lock";
    public const string Error = "error.txt";

    public static string StateFile(TrainingStage stage) => stage.ToString().ToLowerInvariant() + ".state";
    public static string BestCheckpoint(TrainingStage stage) => stage.ToString().ToLowerInvariant() + ".best.refilled";
    public static string LastCheckpoint(TrainingStage stage) => stage.ToString().ToLowerInvariant() + ".last.refilled";

    public static RunInfo? ReadInfo(string folder)
    {
        var path = Path.Combine(folder, Run);
        return File.Exists(path) ? JsonSerializer.Deserialize<RunInfo>(File.ReadAllBytes(path), RunResult.Json) : null;
    }

    public static void WriteInfo(string folder, RunInfo info) =>
        AtomicFile.WriteAllBytes(Path.Combine(folder, Run), JsonSerializer.SerializeToUtf8Bytes(info, RunResult.Json));

    /// <summary>error.txt: why the last attempt failed, for Get-RefilledRun; removed when the run starts again.</summary>
    public static void WriteError(string folder, Exception error) =>
        AtomicFile.WriteAllBytes(Path.Combine(folder, Error), Encoding.UTF8.GetBytes(error.Message + "\n"));

    public static string? ReadError(string folder)
    {
        var path = Path.Combine(folder, Error);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    public static void ClearError(string folder) => File.Delete(Path.Combine(folder, Error));

    static readonly string[] MetricColumns =
        ["stage", "epoch", "epochs", "loss", "batches", "skipped_batches", "triplets_per_batch", "train_accuracy",
         "validation_metric", "validation_metric_name", "learning_rate", "seconds"];

    /// <summary>One row per epoch: the fixed columns, then one column per named loss term (empty where a stage has none).</summary>
    public static void WriteMetrics(string path, IEnumerable<EpochMetrics> rows)
    {
        var list = rows.ToList();
        var terms = list.SelectMany(m => m.Terms?.Keys ?? []).Distinct().ToList();
        var csv = new StringBuilder().AppendJoin(',', MetricColumns.Concat(terms)).Append('\n');
        foreach (var m in list)
            csv.AppendJoin(',', [m.Stage.ToString(), I(m.Epoch), I(m.Epochs), D(m.Loss), I(m.Batches), I(m.SkippedBatches), D(m.TripletsPerBatch),
                D(m.TrainAccuracy), D(m.ValidationMetric), m.ValidationMetricName, D(m.LearningRate), D(m.Seconds),
                .. terms.Select(t => m.Terms != null && m.Terms.TryGetValue(t, out var v) ? D(v) : "")]).Append('\n');
        AtomicFile.WriteAllBytes(path, Encoding.UTF8.GetBytes(csv.ToString()));
    }

    public static IReadOnlyList<EpochMetrics> ReadMetrics(string path)
    {
        if (!File.Exists(path)) return [];
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0) return [];
        var terms = lines[0].Split(',').Skip(MetricColumns.Length).ToArray();
        return lines.Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            var f = line.Split(',');
            var values = terms.Select((t, k) => (t, Value: P(f[MetricColumns.Length + k]))).Where(p => p.Value is not null)
                .ToDictionary(p => p.t, p => p.Value!.Value);
            return new EpochMetrics(Stage(f[0]), int.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture),
                P(f[3])!.Value, int.Parse(f[4], CultureInfo.InvariantCulture), int.Parse(f[5], CultureInfo.InvariantCulture), P(f[6])!.Value,
                P(f[7]), P(f[8]), f[9], P(f[10])!.Value, P(f[11])!.Value, values);
        }).ToList();
    }

    /// <summary>A stage column; files written before stages were a type say "RKD"/"CRD", read as Rkd/Crd.</summary>
    static TrainingStage Stage(string text) =>
        TrainingStages.Parse(text) ?? throw new InvalidDataException($"'{text}' in {Metrics} is not a training stage.");

    static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
    static string D(double? value) => value is double d ? d.ToString("R", CultureInfo.InvariantCulture) : "";
    static double? P(string text) => text.Length == 0 ? null : double.Parse(text, CultureInfo.InvariantCulture);
}
