using System.Text.Json;

namespace Refilled.Engine.Experiments;

/// <summary>A run folder as found on disk: its configuration, its per-epoch metrics and, once finished, its result.</summary>
public sealed record RunRecord(
    string Experiment,
    int? RunIndex,
    string RunId,
    string Path,
    string Status,
    IReadOnlyDictionary<string, double> Values,
    ExperimentConfig Config,
    RunResult? Result,
    IReadOnlyList<Training.EpochMetrics> History)
{
    /// <summary>Every run folder at or below <paramref name="path"/> (an output root, an experiment folder, or a run folder).</summary>
    public static IReadOnlyList<RunRecord> Find(string path)
    {
        path = System.IO.Path.GetFullPath(path);
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"No folder '{path}'.");
        return Directory.EnumerateFiles(path, RunFiles.Config, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3 })
            .Select(f => System.IO.Path.GetDirectoryName(f)!)
            .Order(StringComparer.Ordinal)
            .Select(Read)
            .OrderBy(r => r.Experiment, StringComparer.Ordinal).ThenBy(r => r.RunIndex ?? int.MaxValue).ThenBy(r => r.RunId, StringComparer.Ordinal)
            .ToList();
    }

    public static RunRecord Read(string folder)
    {
        var config = global::Refilled.Engine.Experiments.Experiment.Load(System.IO.Path.Combine(folder, RunFiles.Config)).Base;
        var resultPath = System.IO.Path.Combine(folder, RunFiles.Result);
        var result = File.Exists(resultPath) ? RunResult.Read(resultPath) with { Path = folder } : null;
        var infoPath = System.IO.Path.Combine(folder, RunFiles.Run);
        var info = File.Exists(infoPath) ? JsonSerializer.Deserialize<ExperimentRunner.RunInfo>(File.ReadAllBytes(infoPath), RunResult.Json) : null;
        var lockPath = System.IO.Path.Combine(folder, RunFiles.Lock);
        var status = result != null ? "Finished"
            : File.Exists(lockPath) && RunLock.Read(lockPath) is var (pid, host) && RunLock.IsAlive(pid, host) ? "Running"
            : Directory.EnumerateFiles(folder, "*.state").Any() ? "Interrupted" : "NotStarted";
        return new RunRecord(config.Name, info?.RunIndex ?? result?.RunIndex, System.IO.Path.GetFileName(folder), folder, status,
            info?.Values ?? new Dictionary<string, double>(), config, result, RunFiles.ReadMetrics(System.IO.Path.Combine(folder, RunFiles.Metrics)));
    }
}
