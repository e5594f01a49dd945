using Refilled.Engine.Networks;

namespace Refilled.PowerShell.Objects;

/// <summary>The network being distilled; training cmdlets update it in place and pass it on.</summary>
public sealed class Student : RefilledModel
{
    internal Student(RefilledNetwork network, IReadOnlyList<int> classes, int? seed, string? path)
        : base(network, classes, seed, path)
    {
    }

    /// <summary>The validation score of the weights the student holds now (the best epoch's, when validated).</summary>
    public double? ValidationMetric { get; internal set; }
}
