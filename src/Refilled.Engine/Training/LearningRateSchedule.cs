namespace Refilled.Engine.Training;

/// <summary>The learning rate of an epoch (0-based), computed rather than stepped so that a resumed run gets the same value.</summary>
public abstract class LearningRateSchedule
{
    public abstract double At(int epoch);

    /// <summary>Cosine annealing from <paramref name="initial"/> down to <paramref name="minimum"/> over the run.</summary>
    public static LearningRateSchedule Cosine(double initial, double minimum, int epochs) => new CosineSchedule(initial, minimum, epochs);

    /// <summary>Multiply by <paramref name="gamma"/> at each milestone epoch.</summary>
    public static LearningRateSchedule MultiStep(double initial, IReadOnlyList<int> milestones, double gamma) =>
        new MultiStepSchedule(initial, milestones, gamma);

    /// <summary>Stage 1 as released: cosine annealing down to <see cref="TrainingDefaults.CosineFloor"/> × lr.</summary>
    public static LearningRateSchedule ReleasedCosine(double initial, int epochs) =>
        Cosine(initial, TrainingDefaults.CosineFloor * initial, epochs);

    /// <summary>The released multi-step schedule; without milestones, 50/70/90 % of the run (100/140/180 of 200).</summary>
    public static LearningRateSchedule ReleasedMultiStep(double initial, int epochs, IReadOnlyList<int>? milestones, double gamma) =>
        MultiStep(initial, milestones ?? TrainingDefaults.Milestones(epochs), gamma);

    sealed class CosineSchedule(double initial, double minimum, int epochs) : LearningRateSchedule
    {
        public override double At(int epoch) =>
            minimum + (initial - minimum) * (1 + Math.Cos(Math.PI * epoch / Math.Max(1, epochs))) / 2;
    }

    sealed class MultiStepSchedule(double initial, IReadOnlyList<int> milestones, double gamma) : LearningRateSchedule
    {
        public override double At(int epoch) => initial * Math.Pow(gamma, milestones.Count(m => epoch >= m));
    }
}
