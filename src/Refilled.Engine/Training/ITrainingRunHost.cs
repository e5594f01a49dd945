namespace Refilled.Engine.Training;

/// <summary>
/// What the caller of a <see cref="TrainingRun"/> does around each phase: where the phase's resumable state lives, what
/// observes and saves its epochs, and what to record when it ends.
/// </summary>
public interface ITrainingRunHost
{
    /// <summary>The file that keeps <paramref name="phase"/>'s resumable state (read if it exists); null: the phase does not resume.</summary>
    string? StatePath(TrainingStage phase);

    /// <summary>
    /// The least time between two saves of a phase's state: the first completed epoch is always saved, then one epoch
    /// whenever this much time has passed since the last save (zero: every epoch).
    /// </summary>
    TimeSpan StateInterval { get; }

    /// <summary>The phase starts with <paramref name="options"/>, continuing <paramref name="resumed"/> if not null.</summary>
    TrainingPhaseOutput PhaseStarted(StageRecipe phase, TrainingOptions options, TrainingState? resumed);

    /// <summary>The phase ended: <paramref name="result"/> is null when it failed.</summary>
    void PhaseEnded(StageRecipe phase, TrainingResult? result);
}
