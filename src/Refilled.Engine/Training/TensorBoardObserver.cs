using static TorchSharp.torch.utils.tensorboard;

namespace Refilled.Engine.Training;

/// <summary>
/// Writes each epoch's loss, named loss terms, learning rate and validation score as TensorBoard scalars with
/// TorchSharp's own <c>SummaryWriter</c> into one folder (one TensorBoard run), then passes everything on to
/// <see cref="Inner"/>. The x axis counts SGD steps across stages, as the report's curves do.
/// </summary>
public sealed class TensorBoardObserver : ITrainingObserver
{
    readonly TorchSharp.Modules.SummaryWriter writer;
    int steps;

    TensorBoardObserver(string folder, ITrainingObserver? inner, int earlierSteps)
    {
        Directory.CreateDirectory(folder);
        writer = SummaryWriter(folder, createRunName: false);
        Inner = inner;
        steps = earlierSteps;
    }

    public ITrainingObserver? Inner { get; }

    /// <summary>
    /// <paramref name="inner"/> itself without a folder, else a TensorBoard writer around it; <paramref name="earlierSteps"/>
    /// are the SGD steps the model made before (earlier stages, or epochs before a resume).
    /// </summary>
    public static ITrainingObserver? Wrap(ITrainingObserver? inner, string? folder, int earlierSteps) =>
        folder is null ? inner : new TensorBoardObserver(folder, inner, earlierSteps);

    public void OnBatch(BatchProgress progress) => Inner?.OnBatch(progress);

    public void OnEpoch(EpochMetrics m)
    {
        steps += m.Batches;
        writer.add_scalar($"{m.Stage}/loss", (float)m.Loss, steps);
        writer.add_scalar($"{m.Stage}/learning_rate", (float)m.LearningRate, steps);
        foreach (var (name, value) in m.Terms ?? new Dictionary<string, double>()) writer.add_scalar($"{m.Stage}/{name}", (float)value, steps);
        if (m.ValidationMetric is double v) writer.add_scalar($"{m.Stage}/{m.ValidationMetricName}", (float)v, steps);
        Inner?.OnEpoch(m);
    }
}
