using Refilled.Engine.Training;

namespace Refilled.Engine.Experiments;

/// <summary>How an <see cref="ExperimentRunner"/> talks to its host (a cmdlet: warnings, verbose lines, progress bars).</summary>
public interface IExperimentHost
{
    void Warning(string message);
    void Verbose(string message);
    /// <summary>An observer for one training stage of a run, or null for none.</summary>
    ITrainingObserver? StageStarted(ExperimentRun run, TrainingStage stage);
    void StageEnded(ITrainingObserver? observer);
}
