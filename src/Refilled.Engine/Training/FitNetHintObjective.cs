using Refilled.Engine.Data;
using Refilled.Engine.Distillation;
using Refilled.Engine.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Training;

/// <summary>
/// FitNet phase 1 (Romero et al., ICLR 2015), hint training: the student's guided group, through a learned 1×1
/// regressor, regresses the teacher's hint group (<see cref="FitNetHintLoss"/>); by default the middle group of each
/// network, as the paper's middle hint layer. Only the student's layers up to the guided group and the regressor learn.
/// Phase 2 trains the hinted student for classification with <see cref="CrossEntropyObjective"/>. The two groups need
/// the same spatial size. Validation: the negative mean hint loss (higher is better).
/// </summary>
public sealed class FitNetHintObjective(RefilledNetwork teacher, int? studentGroup = null, int? teacherGroup = null) : ITrainingObjective
{
    FitNetHintLoss? hint;
    int guided;
    int hinting;

    public TrainingStage Stage => TrainingStage.FitNetHint;

    /// <summary>The regressor, built by <see cref="Prepare"/> for the student's guided-group width.</summary>
    public FitNetHintLoss Hint => hint ?? throw new InvalidOperationException("Prepare the FitNet objective with the student first.");

    public IEnumerable<TorchSharp.Modules.Parameter> Parameters(RefilledNetwork student) => student.parameters().Concat(Hint.parameters());

    public void Prepare(RefilledNetwork student, ImageDataset train)
    {
        teacher.ServeAsTeacherOf(student);
        var studentShapes = student.GroupShapes();
        var teacherShapes = teacher.GroupShapes();
        guided = Choose(studentGroup, studentShapes.Count, nameof(studentGroup));
        hinting = Choose(teacherGroup, teacherShapes.Count, nameof(teacherGroup));
        var (s, t) = (studentShapes[guided], teacherShapes[hinting]);
        if (!GroupPairing.SameSpatialSize(s, t))
            throw new ArgumentException(
                $"The FitNet guided group {guided} of student {student.Spec} ({s[1]}×{s[2]}) and hint group {hinting} of teacher " +
                $"{teacher.Spec} ({t[1]}×{t[2]}) need the same spatial size.", nameof(student));
        hint?.Dispose();
        hint = new FitNetHintLoss(s[0], t[0], student.parameters().First().device);
    }

    public ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels)
    {
        Tensor target;
        using (no_grad()) target = teacher.Features(images).Groups[hinting];
        var loss = Hint.Compute(student.Features(images).Groups[guided], target);
        return new ObjectiveStep(loss, null, 0, false);
    }

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

    static int Choose(int? group, int count, string name) => group switch
    {
        null => GroupPairing.Middle(count),
        >= 0 when group < count => group.Value,
        _ => throw new ArgumentOutOfRangeException(name, group, $"The network has groups 0..{count - 1}."),
    };
}
