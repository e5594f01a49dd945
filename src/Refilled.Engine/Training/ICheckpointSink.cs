using Refilled.Engine.Networks;

namespace Refilled.Engine.Training;

/// <summary>Receives the network after every epoch; <paramref name="isBest"/> marks a new best validation score.</summary>
public interface ICheckpointSink
{
    void Save(RefilledNetwork network, EpochMetrics metrics, bool isBest);
}
