namespace Refilled.Engine.Training;

/// <summary>
/// The batches a stage will step through: what <see cref="Trainer"/> loops over, and what an objective may prepare
/// for (a table of teacher outputs pays only when the stage would otherwise compute them often enough).
/// </summary>
public sealed record TrainingPlan(int Epochs, int BatchSize, bool DropLast, int TrainCount)
{
    /// <summary>The plan <paramref name="options"/> make for <paramref name="trainCount"/> training records.</summary>
    public static TrainingPlan For(TrainingOptions options, int trainCount) =>
        // A set smaller than one batch still trains: drop-last only applies when it leaves something.
        // A last batch of one image is dropped too: BatchNorm cannot train on a single sample.
        new(options.Epochs, options.BatchSize,
            (options.DropLast && trainCount >= options.BatchSize) || (trainCount > 1 && trainCount % options.BatchSize == 1),
            trainCount);

    public int BatchesPerEpoch => DropLast ? TrainCount / BatchSize : (TrainCount + BatchSize - 1) / BatchSize;

    /// <summary>The images all epochs' batches hold together.</summary>
    public long Samples => (long)Epochs * (DropLast ? (long)BatchesPerEpoch * BatchSize : TrainCount);
}
