namespace Refilled.Engine.Training;

/// <summary>
/// A training stage's one name, in histories, checkpoints, run folders and messages. A type, not a string, so that a
/// stage cannot be named two ways (the RKD and CRD objectives once wrote "RKD"/"CRD" while their recipes wrote
/// "Rkd"/"Crd", and students were saved with 0 epochs). Files keep the names as text; <see cref="TrainingStages.Parse"/>
/// reads the old spellings too.
/// </summary>
public enum TrainingStage
{
    Pretraining,
    Stage1,
    Stage2,
    Scratch,
    KnowledgeDistillation,
    FineTune,
    TeacherNcm,
    /// <summary>Two-stage FitNet's first phase (hints); its epochs count towards <see cref="FitNetTwoStage"/>.</summary>
    FitNetHint,
    FitNet,
    FitNetTwoStage,
    AttentionTransfer,
    Rkd,
    Crd,
}

public static class TrainingStages
{
    /// <summary>
    /// A stage name as files have written it, in any letter case ("RKD" is <see cref="TrainingStage.Rkd"/>); null for
    /// null or a name no version wrote, so that an old checkpoint still loads.
    /// </summary>
    public static TrainingStage? Parse(string? name) =>
        name is not null && !int.TryParse(name, out _) && Enum.TryParse<TrainingStage>(name, ignoreCase: true, out var stage) && Enum.IsDefined(stage)
            ? stage
            : null;

    /// <summary>The stage a phase belongs to: two-stage FitNet for its hint phase, else the stage itself.</summary>
    public static TrainingStage Owner(this TrainingStage phase) => phase == TrainingStage.FitNetHint ? TrainingStage.FitNetTwoStage : phase;

    /// <summary>The baseline method's stage (the names are the same).</summary>
    public static TrainingStage Of(BaselineMethod method) => Enum.Parse<TrainingStage>(method.ToString());
}
