using Refilled.Engine.Data;
using Refilled.Engine.Networks;

namespace Refilled.Engine.Training;

/// <summary>
/// A network with the real class ids behind its outputs: output k means <see cref="Classes"/>[k]. The class ids are
/// part of the model's identity, so the rules about them live here and every front door (cmdlets, experiment files)
/// goes through them: one distinct id per output (<see cref="StageRuleException"/> ClassCountMismatch or
/// DuplicateClass), and data trained or measured by the classifier has exactly these classes (<see cref="RequireClassesOf"/>).
/// </summary>
public sealed record LabelledNetwork(RefilledNetwork Network, IReadOnlyList<int> Classes)
{
    public IReadOnlyList<int> Classes { get; init; } = OnePerOutput(Network, Classes);

    public override string ToString() => $"{Network.Spec} (classes {ClassList(Classes)})";

    public static string ClassList(IReadOnlyList<int> classes) =>
        classes.Count <= 10 ? string.Join(",", classes) : $"{string.Join(",", classes.Take(5))},…,{classes[^1]}";

    /// <summary>
    /// Refuses <paramref name="data"/> unless its labels mean what this network's outputs mean: the same class ids in the
    /// same order. ClassCountMismatch when the widths differ, ClassMismatch when the ids do; both name both lists, and
    /// the target is the data's class list.
    /// </summary>
    /// <param name="role">What the network is to the user (student, teacher, model), for the message.</param>
    public void RequireClassesOf(ImageDataset data, string role)
    {
        if (Classes.SequenceEqual(data.Classes)) return;
        var (id, what) = Classes.Count != data.NumClasses
            ? ("ClassCountMismatch", $"has {Classes.Count} outputs but the data has {data.NumClasses} classes")
            : ("ClassMismatch", "was built for other classes than the data's");
        throw new StageRuleException(id,
            $"The {role} {Network.Spec} {what}: the {role}'s classes are {ClassList(Classes)}, the data's ({data.Name} {data.Split}) " +
            $"are {ClassList(data.Classes)}. Train and measure a model on its own classes; for new classes create a student for " +
            "the data (New-Student -Dataset).", data.Classes.ToArray());
    }

    static IReadOnlyList<int> OnePerOutput(RefilledNetwork network, IReadOnlyList<int> classes)
    {
        if (classes.Count != network.NumClasses)
            throw new StageRuleException("ClassCountMismatch",
                $"The {network.Spec} network has {network.NumClasses} outputs but {classes.Count} class ids were given ({ClassList(classes)}): " +
                "give one class id per output, in output order.", classes.ToArray()) { IsArgument = true };
        if (classes.Distinct().Count() != classes.Count)
            throw new StageRuleException("DuplicateClass",
                $"The class ids {ClassList(classes)} name a class twice: each output of the {network.Spec} network means one class.",
                classes.ToArray()) { IsArgument = true };
        return classes;
    }
}
