using Refilled.Engine.Data;
using Refilled.Engine.Networks;
using Refilled.Engine.Selection;
using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Training;

/// <summary>
/// What a stage optimises and how it is validated; the loop around it is <see cref="Trainer"/>. The stage's name is its
/// recipe's (<see cref="StageRecipe.Stage"/>, carried by <see cref="TrainingOptions.Stage"/>): one objective can serve several stages.
/// </summary>
public interface ITrainingObjective
{
    /// <summary>Which parameters the optimiser updates (stage 1 leaves the classifier alone).</summary>
    IEnumerable<TorchSharp.Modules.Parameter> Parameters(RefilledNetwork student);

    /// <summary>Called once before the first epoch, e.g. to compute the teacher's class centres.</summary>
    void Prepare(RefilledNetwork student, ImageDataset train, TrainingPlan plan);

    /// <summary>Called once when the run ends, however it ends: frees what only the run needed.</summary>
    void Release()
    {
    }

    /// <summary>Called before each (0-based) epoch, also when a run resumes there, e.g. to decay a loss weight.</summary>
    void BeginEpoch(int epoch)
    {
    }

    ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels);

    /// <summary>What the trainer calls; objectives that keep per-sample state (CRD) also read the batch's indices.</summary>
    ObjectiveStep Step(RefilledNetwork student, Batch batch) => Step(student, batch.Images, batch.Labels);

    string ValidationMetricName { get; }

    double Validate(RefilledNetwork student, ImageDataset validation, int batchSize);

    /// <summary>The validation metric and, for objectives validated by their classifier, its cross-entropy to break ties.</summary>
    ValidationScore Score(RefilledNetwork student, ImageDataset validation, int batchSize) => new(Validate(student, validation, batchSize));
}
