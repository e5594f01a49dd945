namespace Refilled.Engine.Experiments;

/// <summary>
/// A run as found on disk: its configuration, state, per-epoch metrics and, once finished, its result. The state comes
/// from the run folder alone, so a sweep can be followed from any machine that sees the output folder:
/// Pending (not started), Running (a live process holds run.lock), Completed (result.json), Failed (error.txt, in
/// <see cref="Error"/>), Cancelled (stopped, killed or timed out before finishing: invoking it again resumes it), Unknown
/// (unfinished, and this user may not read its run.lock to tell whether it runs).
/// </summary>
public sealed record RunRecord(
    string Experiment,
    int? RunIndex,
    string RunId,
    string Path,
    RunStatus Status,
    IReadOnlyDictionary<string, double> Values,
    ExperimentConfig Config,
    RunResult? Result,
    IReadOnlyList<Training.EpochMetrics> History,
    string? Error = null,
    string? Holder = null,
    IReadOnlyDictionary<string, string>? Labels = null)
{
    /// <summary>The sweep value of <paramref name="key"/> as the experiment file writes it (an architecture, not its index).</summary>
    public string Label(string key) =>
        Labels?.GetValueOrDefault(key) ?? (Values.TryGetValue(key, out var value) ? global::Refilled.Engine.Experiments.Experiment.AxisLabel(key, value) : "-");

    /// <summary>
    /// What the run compares as: its method and every other sweep value its configuration uses, seed and K aside
    /// ("Refilled lambda=0.1"; a Scratch run of a method × lambda sweep is plain "Scratch").
    /// </summary>
    public string Setting => string.Concat([Config.Method.ToString(), .. Values.Keys
        .Where(k => k is not ("seed" or "method" or "samples_per_class") && global::Refilled.Engine.Experiments.Experiment.Sets(Config, k))
        .Select(k => $" {k}={Label(k)}")]);

    /// <summary>The run as a paired comparison takes it (test accuracy, by seed and K), or null before it has a test accuracy.</summary>
    public Evaluation.ComparedResult? Compared =>
        Result?.TestAccuracy is double accuracy ? new Evaluation.ComparedResult(Setting, Config.Seed, Config.Data.SamplesPerClass, accuracy) : null;

    /// <summary>
    /// The completed runs as paired results. A run that a sweep repeated along an axis its method ignores (same setting,
    /// seed and K, bit-identical weights) counts once; runs without a test accuracy are left out.
    /// </summary>
    public static IReadOnlyList<Evaluation.ComparedResult> ToCompared(IEnumerable<RunRecord> runs) =>
        runs.Where(r => r.Compared is not null)
            .DistinctBy(r => (r.Setting, r.Config.Seed, r.Config.Data.SamplesPerClass, r.Result!.WeightsSha256 is { Length: > 0 } hash ? hash : r.Path))
            .Select(r => r.Compared!)
            .ToList();

    /// <summary>
    /// Every run folder at or below <paramref name="path"/> (an output root, an experiment folder, or a run folder); or, for
    /// an experiment file, every run of its sweep under <paramref name="outputRoot"/>, those without a folder yet Pending.
    /// </summary>
    public static IReadOnlyList<RunRecord> Find(string path, string? outputRoot = null)
    {
        path = System.IO.Path.GetFullPath(path);
        if (File.Exists(path)) return OfExperiment(global::Refilled.Engine.Experiments.Experiment.Load(path), outputRoot);
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"No folder '{path}'.");
        return Directory.EnumerateFiles(path, RunFiles.Config, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3 })
            .Select(f => System.IO.Path.GetDirectoryName(f)!)
            .Order(StringComparer.Ordinal)
            .Select(Read)
            .OrderBy(r => r.Experiment, StringComparer.Ordinal).ThenBy(r => r.RunIndex ?? int.MaxValue).ThenBy(r => r.RunId, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The runs of an experiment in sweep order; outputRoot defaults to Invoke-RefilledExperiment's (runs/ beside the file).</summary>
    static IReadOnlyList<RunRecord> OfExperiment(Experiment experiment, string? outputRoot)
    {
        var runner = new ExperimentRunner(outputRoot ?? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(experiment.SourcePath)!, "runs"));
        return experiment.Expand().Select(run =>
        {
            var folder = runner.FolderOf(run);
            return File.Exists(System.IO.Path.Combine(folder, RunFiles.Config)) ? Read(folder) with { RunIndex = run.Index }
                : new RunRecord(run.Config.Name, run.Index, run.Id, folder, RunStatus.Pending, run.Values.ToDictionary(v => v.Key, v => v.Value),
                    run.Config, null, [], Labels: run.Labels);
        }).ToList();
    }

    public static RunRecord Read(string folder)
    {
        var config = global::Refilled.Engine.Experiments.Experiment.Load(System.IO.Path.Combine(folder, RunFiles.Config)).Base;
        var resultPath = System.IO.Path.Combine(folder, RunFiles.Result);
        var result = File.Exists(resultPath) ? RunResult.Read(resultPath) with { Path = folder } : null;
        var info = RunFiles.ReadInfo(folder);
        // A retried run clears error.txt once it holds the lock, so a held lock outranks an old error.
        var running = result is null ? RunLock.Probe(folder) : false;
        var error = result is null && running == false ? RunFiles.ReadError(folder) : null;
        var status = result != null ? RunStatus.Completed
            : running is null ? RunStatus.Unknown
            : running == true ? RunStatus.Running
            : error != null ? RunStatus.Failed
            : info != null ? RunStatus.Cancelled : RunStatus.Pending;
        return new RunRecord(config.Name, info?.RunIndex ?? result?.RunIndex, System.IO.Path.GetFileName(folder), folder, status,
            info?.Values ?? new Dictionary<string, double>(), config, result, RunFiles.ReadMetrics(System.IO.Path.Combine(folder, RunFiles.Metrics)),
            error, info?.Holder, info?.Labels);
    }
}
