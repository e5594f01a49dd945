using Refilled.Engine.Data;
using Refilled.Engine.Distillation;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>
/// FitNet as RepDistiller trains it (train_student.py --distill hint): one stage of cross-entropy plus
/// <paramref name="weight"/> (100 in scripts/run_cifar_distill.sh) times the hint loss between the student's middle
/// group through a ConvReg regressor (conv, BatchNorm, ReLU, <see cref="FitNetHintRegressor.ConvBatchNormRelu"/>) and the
/// teacher's middle group. The regressor trains with the student; validation is the classifier's accuracy.
/// </summary>
public sealed class FitNetObjective(RefilledNetwork teacher, double weight = FitNetRecipe.DefaultHintWeight) : ClassifierObjective
{
    FitNetHint? hint;

    /// <summary>The hint loss and its regressor, built by <see cref="Prepare"/> for the student's groups.</summary>
    public FitNetHintLoss Hint => Pair.Loss;

    FitNetHint Pair => hint ?? throw new InvalidOperationException("Prepare the FitNet objective with the student first.");

    public override IEnumerable<TorchSharp.Modules.Parameter> Parameters(RefilledNetwork student) =>
        base.Parameters(student).Concat(Hint.parameters());

    public override void Prepare(RefilledNetwork student, ImageDataset train, TrainingPlan plan)
    {
        teacher.ServeAsTeacherOf(student);
        hint?.Dispose();
        hint = FitNetHint.Between(student, teacher, FitNetHintRegressor.ConvBatchNormRelu);
    }

    public override ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels)
    {
        var features = student.Features(images);
        var logits = student.Classify(features.Embedding);
        var total = nn.functional.cross_entropy(logits, labels) + weight * Pair.Compute(teacher, images, features.Groups);
        return new ObjectiveStep(total, CountCorrect(logits, labels), 0, false);
    }
}
