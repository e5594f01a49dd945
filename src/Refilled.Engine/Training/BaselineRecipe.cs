namespace Refilled.Engine.Training;

/// <summary>The methods REFILLED is compared against.</summary>
public enum BaselineMethod
{
    /// <summary>Cross-entropy only, no teacher.</summary>
    Scratch,
    /// <summary>Hinton et al.'s soft targets; needs a teacher with the student's classes.</summary>
    KnowledgeDistillation,
}

/// <summary>A comparison method: trained on the student's classes with labels, on the released multi-step schedule.</summary>
public abstract record BaselineRecipe : MultiStepRecipe
{
    public abstract BaselineMethod Method { get; }

    public override string Stage => Method.ToString();

    /// <summary>The recipe of a method, with its defaults.</summary>
    public static BaselineRecipe For(BaselineMethod method) => method switch
    {
        BaselineMethod.Scratch => new ScratchRecipe(),
        BaselineMethod.KnowledgeDistillation => new HintonKdRecipe(),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown baseline method."),
    };
}
