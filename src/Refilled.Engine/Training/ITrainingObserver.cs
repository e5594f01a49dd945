namespace Refilled.Engine.Training;

/// <summary>Receives a trainer's progress on the trainer's own thread (so a PowerShell host can write from it).</summary>
public interface ITrainingObserver
{
    void OnBatch(BatchProgress progress);
    void OnEpoch(EpochMetrics metrics);
}
