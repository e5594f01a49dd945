using Refilled.Engine.Checkpoints;
using Refilled.Engine.Networks;

namespace Refilled.Engine.Training;

/// <summary>
/// Keeps one checkpoint file up to date with the best weights so far (every epoch's, without validation).
/// Each write is atomic, so stopping a run at any moment leaves the previous file intact.
/// </summary>
public sealed class CheckpointFileSink(string path, Func<CheckpointMetadata> metadata) : ICheckpointSink
{
    public string Path { get; } = path;

    public void Save(RefilledNetwork network, EpochMetrics metrics, bool isBest)
    {
        if (!isBest) return;
        var meta = metadata();
        meta.Epochs = metrics.Epoch;
        meta.Metrics = new Dictionary<string, double> { ["loss"] = metrics.Loss };
        if (metrics.ValidationMetric is double v) meta.Metrics[metrics.ValidationMetricName] = v;
        ModelCheckpoint.Save(network, meta, Path);
    }
}
