using Refilled.Engine.Methods;

namespace Refilled.Engine.Training;

/// <summary>
/// What trains a run's student: REFILLED's two stages or one of the baselines. The one name of a method in results,
/// sweeps and comparisons; a baseline has its <see cref="BaselineMethod"/> number, which a sweep's run folders store.
/// </summary>
public enum TrainingMethod
{
    Refilled = -1,
    Scratch = BaselineMethod.Scratch,
    KnowledgeDistillation = BaselineMethod.KnowledgeDistillation,
    FineTune = BaselineMethod.FineTune,
    TeacherNcm = BaselineMethod.TeacherNcm,
    FitNet = BaselineMethod.FitNet,
    AttentionTransfer = BaselineMethod.AttentionTransfer,
    Rkd = BaselineMethod.Rkd,
    Crd = BaselineMethod.Crd,
    FitNetTwoStage = BaselineMethod.FitNetTwoStage,
}

public static class TrainingMethods
{
    /// <summary>Every method, REFILLED first, then the baselines in their order.</summary>
    public static IReadOnlyList<TrainingMethod> All { get; } = [TrainingMethod.Refilled, .. Enum.GetValues<BaselineMethod>().Select(Of)];

    public static TrainingMethod Of(BaselineMethod method) => (TrainingMethod)(int)method;

    /// <summary>The baseline the method is, or null for REFILLED.</summary>
    public static BaselineMethod? Baseline(this TrainingMethod method) => method == TrainingMethod.Refilled ? null : (BaselineMethod)(int)method;

    /// <summary>A method by name in any letter case ("refilled", "Crd"); null for a number or a name that is no method.</summary>
    public static TrainingMethod? Parse(string? name) =>
        name is not null && !int.TryParse(name, out _) && Enum.TryParse<TrainingMethod>(name, ignoreCase: true, out var method) && Enum.IsDefined(method)
            ? method
            : null;

    /// <summary>The method as experiment files write it: "refilled", "scratch", …</summary>
    public static string Key(this TrainingMethod method) => method.ToString().ToLowerInvariant();
}
