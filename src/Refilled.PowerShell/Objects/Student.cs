using Refilled.Engine.Networks;
using Refilled.Engine.Selection;

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

    /// <summary>The validation cross-entropy of those weights, where the classifier was validated: it breaks ties in accuracy.</summary>
    public double? ValidationCrossEntropy { get; internal set; }

    /// <summary>The λ of the stage 2 that trained it last; empty after any other stage.</summary>
    public double? Lambda { get; internal set; }

    /// <summary>What Select-RefilledStudent and the trainer's best-epoch rule compare (see <see cref="ValidationOrder"/>).</summary>
    internal ValidationScore? Score => ValidationMetric is double metric ? new ValidationScore(metric, ValidationCrossEntropy, Lambda) : null;
}
