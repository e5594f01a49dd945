namespace Refilled.Engine.Training;

/// <summary>
/// The one definition of each <see cref="SchedulePreset"/>. A preset sets the budget keys of a recipe; cmdlet
/// parameters given explicitly and experiment-file keys set beside it override single values.
/// </summary>
public static class SchedulePresets
{
    /// <summary>
    /// RepDistiller (HobbitLong/RepDistiller b84f547, train_student.py defaults): SGD lr 0.05, momentum 0.9, weight
    /// decay 5e-4, no Nesterov (optim.SGD's default), batch 64, 240 epochs, lr × 0.1 after epochs 150, 180 and 210
    /// (helper/util.py adjust_learning_rate counts 1-based epochs: epoch 151 is the first at 0.005, so 0-based
    /// milestones 150/180/210).
    /// </summary>
    public static T Apply<T>(T recipe, SchedulePreset preset) where T : MultiStepRecipe => (T)(preset switch
    {
        SchedulePreset.Refilled => recipe with
        {
            Epochs = TrainingDefaults.Epochs, LearningRate = TrainingDefaults.LearningRate, BatchSize = TrainingDefaults.BatchSize,
            Momentum = TrainingDefaults.Momentum, WeightDecay = TrainingDefaults.WeightDecay, Nesterov = TrainingDefaults.Nesterov,
            Milestones = null, Gamma = TrainingDefaults.Gamma,
        },
        SchedulePreset.RepDistiller => recipe with
        {
            Epochs = 240, LearningRate = 0.05, BatchSize = 64, Momentum = 0.9, WeightDecay = 5e-4, Nesterov = false,
            Milestones = [150, 180, 210], Gamma = 0.1,
        },
        _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown schedule preset."),
    });
}
