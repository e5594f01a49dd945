namespace Refilled.Engine.Training;

/// <summary>The released code's defaults, so that published hyperparameters carry over.</summary>
public static class TrainingDefaults
{
    public const int Epochs = 200;
    public const double LearningRate = 0.1;
    public const int BatchSize = 128;
    public const double Tau1 = 4;
    public const double Tau2 = 2;
    public const double Lambda = 100;
    public const double Margin = 0.2;
    public const double Gamma = 0.2;
    public const double KdTemperature = 4;
    public const double KdAlpha = 0.9;
    public const double Momentum = 0.9;
    public const double WeightDecay = 5e-4;
    public const bool Nesterov = true;
    /// <summary>The released loaders keep the last partial batch (drop_last=False); with K-shot data it is often half the steps.</summary>
    public const bool DropLast = false;
    /// <summary>λ stays constant (the released code); the paper-era code, which cannot run as uploaded, reads as decaying it every epoch.</summary>
    public const double LambdaDecay = 1;
    public const int EvaluateEvery = 1;
    /// <summary>Stage 1 anneals to this fraction of the initial learning rate.</summary>
    public const double CosineFloor = 0.1;

    /// <summary>The released milestones 100/140/180 of 200 epochs, scaled to other run lengths.</summary>
    public static int[] Milestones(int epochs) =>
        new[] { 0.5, 0.7, 0.9 }.Select(f => (int)Math.Round(f * epochs)).Where(m => m > 0 && m < epochs).Distinct().ToArray();
}
