using Refilled.Engine.Networks;

namespace Refilled.Engine.Training;

/// <summary>A network with the real class ids behind its outputs: output k means <see cref="Classes"/>[k].</summary>
public sealed record LabelledNetwork(RefilledNetwork Network, IReadOnlyList<int> Classes)
{
    public override string ToString() => $"{Network.Spec} (classes {ClassList(Classes)})";

    public static string ClassList(IReadOnlyList<int> classes) =>
        classes.Count <= 10 ? string.Join(",", classes) : $"{string.Join(",", classes.Take(5))},…,{classes[^1]}";
}
