using TorchSharp;

namespace Refilled.Engine.Training;

/// <summary>
/// One batch's loss and what the trainer reports about it. <see cref="Skipped"/> means the loss is a constant zero
/// (no semi-hard triplet): the trainer does not step the optimiser, so momentum and weight decay stay untouched.
/// <see cref="Terms"/> names the parts of the loss (scalars such as cross_entropy and kl), averaged per epoch.
/// </summary>
public readonly record struct ObjectiveStep(torch.Tensor Loss, long? Correct, long Triplets, bool Skipped,
    IReadOnlyList<(string Name, torch.Tensor Value)>? Terms = null);

/// <summary>The names of the loss terms the built-in objectives report (metrics.csv columns).</summary>
public static class LossTerms
{
    public const string CrossEntropy = "cross_entropy";
    public const string Kl = "kl";
    public const string Relationship = "relationship";
}
