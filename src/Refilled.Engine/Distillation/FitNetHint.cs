using Refilled.Engine.Methods;
using Refilled.Engine.Networks;
using static TorchSharp.torch;

namespace Refilled.Engine.Distillation;

/// <summary>
/// The pair of groups a FitNet hint connects, the student's guided group and the teacher's hint group (by default the
/// middle group of each, as the paper's middle layer and RepDistiller's hint_layer 2), and the hint loss between them.
/// Shared by the one-stage objective (<see cref="FitNetObjective"/>) and the two-stage hint phase (<see cref="FitNetHintObjective"/>).
/// </summary>
public sealed class FitNetHint : IDisposable
{
    FitNetHint(int guided, int hinting, FitNetHintLoss loss) => (Guided, Hinting, Loss) = (guided, hinting, loss);

    public int Guided { get; }
    public int Hinting { get; }
    public FitNetHintLoss Loss { get; }

    /// <summary>Pairs the groups and builds the regressor on the student's device; refuses sizes the regressor cannot map.</summary>
    public static FitNetHint Between(RefilledNetwork student, RefilledNetwork teacher, FitNetHintRegressor kind, int? studentGroup = null, int? teacherGroup = null)
    {
        var studentShapes = student.GroupShapes();
        var teacherShapes = teacher.GroupShapes();
        var guided = Choose(studentGroup, studentShapes.Count, nameof(studentGroup));
        var hinting = Choose(teacherGroup, teacherShapes.Count, nameof(teacherGroup));
        var (s, t) = (studentShapes[guided], teacherShapes[hinting]);
        if (!FitNetHintLoss.Fits(kind, s, t))
            throw new ArgumentException(
                $"The FitNet guided group {guided} of student {student.Spec} ({s[1]}×{s[2]}) and hint group {hinting} of teacher " +
                $"{teacher.Spec} ({t[1]}×{t[2]}): {FitNetHintLoss.Rule(kind)}.", nameof(student));
        return new FitNetHint(guided, hinting, new FitNetHintLoss(s, t, kind, student.parameters().First().device));
    }

    /// <summary>Whether <paramref name="kind"/> can connect the default (middle) groups of the two networks' group shapes.</summary>
    public static bool Fits(FitNetHintRegressor kind, IReadOnlyList<long[]> student, IReadOnlyList<long[]> teacher) =>
        FitNetHintLoss.Fits(kind, student[GroupPairing.Middle(student.Count)], teacher[GroupPairing.Middle(teacher.Count)]);

    /// <summary>The hint loss of a batch, from the student's group outputs; the teacher's forward runs without gradient.</summary>
    public Tensor Compute(RefilledNetwork teacher, Tensor images, IReadOnlyList<Tensor> studentGroups)
    {
        Tensor target;
        using (no_grad()) target = teacher.Features(images).Groups[Hinting];
        return Loss.Compute(studentGroups[Guided], target);
    }

    public void Dispose() => Loss.Dispose();

    static int Choose(int? group, int count, string name) => group switch
    {
        null => GroupPairing.Middle(count),
        >= 0 when group < count => group.Value,
        _ => throw new ArgumentOutOfRangeException(name, group, $"The network has groups 0..{count - 1}."),
    };
}
