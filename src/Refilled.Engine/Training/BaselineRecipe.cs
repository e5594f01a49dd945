using Refilled.Engine.Data;
using Refilled.Engine.Networks;

namespace Refilled.Engine.Training;

/// <summary>The methods REFILLED is compared against.</summary>
public enum BaselineMethod
{
    /// <summary>Cross-entropy only, no teacher.</summary>
    Scratch,
    /// <summary>Hinton et al.'s soft targets; needs a teacher with the student's classes.</summary>
    KnowledgeDistillation,
    /// <summary>The teacher's network with a new classifier, all fine-tuned; the student is the teacher's architecture.</summary>
    FineTune,
    /// <summary>No training: the teacher's embedding, nearest class mean over the student's training data.</summary>
    TeacherNcm,
    /// <summary>FitNet as RepDistiller trains it: cross-entropy plus 100 × the hint loss through a ConvReg regressor, in one stage.</summary>
    FitNet,
    /// <summary>Zagoruyko &amp; Komodakis 2017: attention maps of matching groups, plus cross-entropy.</summary>
    AttentionTransfer,
    /// <summary>Park et al. 2019: relational distance and angle losses on embeddings, plus cross-entropy.</summary>
    Rkd,
    /// <summary>Tian et al. 2020: contrastive representation distillation with a memory bank, plus cross-entropy.</summary>
    Crd,
    /// <summary>Romero et al. 2015's two stages: a hint phase (student layer through a 1×1 regressor to a teacher layer), then cross-entropy.</summary>
    FitNetTwoStage,
}

/// <summary>A comparison method: trained on the student's classes with labels, on the released multi-step schedule.</summary>
public abstract record BaselineRecipe : MultiStepRecipe
{
    public abstract BaselineMethod Method { get; }

    public override TrainingStage Stage => TrainingStages.Of(Method);

    /// <summary>
    /// The recipe of a method, with its defaults: the recipe type that declares <paramref name="method"/> as its
    /// <see cref="Method"/> (each lives in its method's folder, Methods/&lt;Method&gt;/).
    /// </summary>
    public static BaselineRecipe For(BaselineMethod method) =>
        RecipeTypes.Value.TryGetValue(method, out var type)
            ? (BaselineRecipe)Activator.CreateInstance(type)!
            : throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown baseline method.");

    // Found once; ToDictionary refuses two recipes that declare the same method.
    static readonly Lazy<IReadOnlyDictionary<BaselineMethod, Type>> RecipeTypes = new(() =>
        typeof(BaselineRecipe).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(BaselineRecipe)) && !type.IsAbstract)
            .ToDictionary(type => ((BaselineRecipe)Activator.CreateInstance(type)!).Method));

    /// <summary>
    /// The network the method trains: null keeps the requested <paramref name="student"/>; fine-tuning and teacher NCM
    /// build theirs from the teacher (on the requested student's device), whatever architecture was requested.
    /// </summary>
    public virtual LabelledNetwork? StudentFrom(LabelledNetwork? teacher, LabelledNetwork student, ImageDataset data) => null;

    /// <summary>The teacher's architecture and backbone weights with a new classifier for <paramref name="data"/>'s classes.</summary>
    protected LabelledNetwork TeacherBackbone(LabelledNetwork? teacher, LabelledNetwork student, ImageDataset data)
    {
        Validate(teacher, student, data);
        var network = FineTune.FromTeacher(teacher!.Network, data.NumClasses).MoveTo(student.Network.Device);
        return new LabelledNetwork(network, data.Classes);
    }

    /// <summary>Refuses a teacher whose groups cannot be paired with the student's: <paramref name="pairs"/> says whether they can, <paramref name="rule"/> why not.</summary>
    protected static void RequireGroupSizes(LabelledNetwork student, LabelledNetwork teacher, string method, string which, string rule,
        Func<IReadOnlyList<long[]>, IReadOnlyList<long[]>, bool> pairs)
    {
        var s = student.Network.GroupShapes();
        var t = teacher.Network.GroupShapes();
        if (!pairs(s, t))
            throw new StageRuleException("GroupSizeMismatch",
                $"{method} pairs {which} of the student {student} (groups {GroupPairing.Describe(s)}) with the teacher's {teacher} " +
                $"(groups {GroupPairing.Describe(t)}): {rule}. Use a student of the teacher's family, or RKD or CRD.",
                student);
    }
}
