namespace Refilled.Engine.Training;

/// <summary>The loss became NaN or infinite; the optimiser was not stepped with it.</summary>
public sealed class TrainingDivergedException : Exception
{
    public TrainingDivergedException(TrainingStage stage, int epoch, int batch, double learningRate)
        : base($"{stage}: the loss became non-finite at epoch {epoch}, batch {batch} (learning rate {learningRate:g4}). " +
               "Try a lower learning rate.")
    {
        Stage = stage;
        Epoch = epoch;
        Batch = batch;
        LearningRate = learningRate;
    }

    public TrainingStage Stage { get; }
    public int Epoch { get; }
    public int Batch { get; }
    public double LearningRate { get; }
}
