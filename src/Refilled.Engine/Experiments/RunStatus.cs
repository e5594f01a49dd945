namespace Refilled.Engine.Experiments;

/// <summary>
/// What became of a run, in <see cref="RunResult"/> (what Invoke-RefilledExperiment did now) and <see cref="RunRecord"/>
/// (what its folder says). One type for both, so that the runner and the records cannot spell a status two ways;
/// result.json keeps it as its name.
/// </summary>
public enum RunStatus
{
    /// <summary>No folder yet.</summary>
    Pending,
    /// <summary>A live process holds its run.lock.</summary>
    Running,
    /// <summary>Finished: result.json is written (by this invocation, for a RunResult).</summary>
    Completed,
    /// <summary>Finished by an earlier invocation: nothing was run.</summary>
    Skipped,
    /// <summary>Another process runs it: nothing was run.</summary>
    Locked,
    /// <summary>Stopped, killed or timed out before finishing: invoking it again resumes it.</summary>
    Cancelled,
    /// <summary>Ended with an error (error.txt).</summary>
    Failed,
    /// <summary>Its run.lock cannot be probed (another user's file this user may not read): the run may be live.</summary>
    Unknown,
}
