using Refilled.Engine.Data;
using Refilled.Engine.Distillation;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>
/// Two-stage FitNet's hint phase (Romero et al., ICLR 2015): the student's guided group, through a learned 1×1
/// regressor, regresses the teacher's hint group (<see cref="FitNetHint"/>, by default the middle group of each network,
/// as the paper's middle hint layer). Only the student's layers up to the guided group and the regressor learn.
/// Phase 2 trains the hinted student for classification with <see cref="CrossEntropyObjective"/>. The two groups need
/// the same spatial size. Validation: the negative mean hint loss (higher is better).
/// </summary>
public sealed class FitNetHintObjective(RefilledNetwork teacher, int? studentGroup = null, int? teacherGroup = null) : ITrainingObjective
{
    FitNetHint? hint;

    /// <summary>The regressor, built by <see cref="Prepare"/> for the student's guided-group width.</summary>
    public FitNetHintLoss Hint => Pair.Loss;

    FitNetHint Pair => hint ?? throw new InvalidOperationException("Prepare the FitNet objective with the student first.");

    public IEnumerable<TorchSharp.Modules.Parameter> Parameters(RefilledNetwork student) => student.parameters().Concat(Hint.parameters());

    public void Prepare(RefilledNetwork student, ImageDataset train, TrainingPlan plan)
    {
        teacher.ServeAsTeacherOf(student);
        hint?.Dispose();
        hint = FitNetHint.Between(student, teacher, FitNetHintRegressor.Conv1x1, studentGroup, teacherGroup);
    }

    public ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels) =>
        new(Pair.Compute(teacher, images, student.Features(images).Groups), null, 0, false);

    public string ValidationMetricName => "negative_hint_loss";

    public double Validate(RefilledNetwork student, ImageDataset validation, int batchSize)
    {
        var wasTraining = student.training;
        student.eval();
        try
        {
            using var noGrad = no_grad();
            double sum = 0;
            foreach (var batch in new DataLoader(validation, batchSize, shuffle: false, dropLast: false, augment: false, seed: 0))
            {
                using var scope = NewDisposeScope();
                using var owned = batch;
                sum += Step(student, batch.Images, batch.Labels).Loss.item<float>() * batch.Count;
            }
            return -sum / validation.Count;
        }
        finally
        {
            student.train(wasTraining);
        }
    }
}
