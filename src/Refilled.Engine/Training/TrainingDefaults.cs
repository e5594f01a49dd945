namespace Refilled.Engine.Training;

/// <summary>
/// The released code's SGD defaults that every stage shares (its recipe, <see cref="TrainingOptions"/> and the schedule
/// presets), so that published hyperparameters carry over; a method's own hyperparameters default on its recipe.
/// </summary>
public static class TrainingDefaults
{
    public const int Epochs = 200;
    public const double LearningRate = 0.1;
    public const int BatchSize = 128;
    public const double Gamma = 0.2;
    public const double Momentum = 0.9;
    public const double WeightDecay = 5e-4;
    public const bool Nesterov = true;
    /// <summary>The released loaders keep the last partial batch (drop_last=False); with K-shot data it is often half the steps.</summary>
    public const bool DropLast = false;
    public const int EvaluateEvery = 1;
    /// <summary>Stage 1 anneals to this fraction of the initial learning rate.</summary>
    public const double CosineFloor = 0.1;

    /// <summary>The released milestones 100/140/180 of 200 epochs, scaled to other run lengths.</summary>
    public static int[] Milestones(int epochs) =>
        new[] { 0.5, 0.7, 0.9 }.Select(f => (int)Math.Round(f * epochs)).Where(m => m > 0 && m < epochs).Distinct().ToArray();
}
