using Refilled.Engine.Runtime;

namespace Refilled.Engine.Experiments;

/// <summary>
/// run.lock: held (a <see cref="ProcessLock"/>) by whoever runs a run, so that two tasks never run it at once. The
/// operating system drops it when its holder dies, so a requeued task on any host takes over a killed task's run.
/// </summary>
public static class RunLock
{
    /// <summary>The run folder's lock, or null when a live process holds it (<paramref name="warn"/> hears which).</summary>
    public static ProcessLock? TryAcquire(string folder, Action<string> warn)
    {
        var acquired = ProcessLock.TryAcquire(Path.Combine(folder, RunFiles.Lock));
        if (acquired is null)
            warn($"Skipping '{folder}': {HolderOf(folder)} holds its {RunFiles.Lock} and is running it.");
        return acquired;
    }

    /// <summary>True while a live process runs the run.</summary>
    public static bool IsHeld(string folder) => ProcessLock.IsHeld(Path.Combine(folder, RunFiles.Lock));

    /// <summary>Whether a live process runs the run; null when this user may not read its lock to tell.</summary>
    public static bool? Probe(string folder) => ProcessLock.Probe(Path.Combine(folder, RunFiles.Lock));

    /// <summary>The holder that the run's run.json names (written once the lock is taken), for messages.</summary>
    static string HolderOf(string folder) =>
        RunFiles.ReadInfo(folder)?.Holder is { Length: > 0 } holder ? holder : "another process";
}
