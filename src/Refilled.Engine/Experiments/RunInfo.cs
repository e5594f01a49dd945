namespace Refilled.Engine.Experiments;

/// <summary>
/// run.json: the run's folder name, index and sweep values, so a half-done run can be listed too, and who ran it last
/// (host, process id, Slurm job), for messages only: whether it still runs is the lock's to say.
/// </summary>
public sealed record RunInfo(string Experiment, int RunIndex, string RunId, Dictionary<string, double> Values, string? Holder = null);
