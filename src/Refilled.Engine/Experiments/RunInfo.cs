namespace Refilled.Engine.Experiments;

/// <summary>
/// run.json: the run's folder name, index and sweep values (and each as the file writes it), so a half-done run can be
/// listed too, and who ran it last (host, process id, Slurm job), for messages only: whether it still runs is the lock's
/// to say. Labels are absent in run folders written before they were recorded.
/// </summary>
public sealed record RunInfo(string Experiment, int RunIndex, string RunId, Dictionary<string, double> Values, string? Holder = null,
    Dictionary<string, string>? Labels = null);
