using Refilled.Engine.Networks;

namespace Refilled.Engine.Training;

/// <summary>
/// Receives the network and the trainer's full state after every completed epoch, so that a run can be resumed
/// from there (<see cref="Trainer.Run(RefilledNetwork, Data.ImageDataset, Data.ImageDataset?, CancellationToken, TrainingState?)"/>).
/// The state is made when a sink first reads it (serialising the optimiser every epoch cost the quickstart ~3 % of its
/// wall time when nothing was written); its <see cref="TrainingState.Best"/> is only valid during the call.
/// </summary>
public interface ITrainingStateSink
{
    void Save(RefilledNetwork network, Lazy<TrainingState> state);
}
