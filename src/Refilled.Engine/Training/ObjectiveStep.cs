using TorchSharp;

namespace Refilled.Engine.Training;

/// <summary>
/// One batch's loss and what the trainer reports about it. <see cref="Skipped"/> means the loss is a constant zero
/// (no semi-hard triplet): the trainer does not step the optimiser, so momentum and weight decay stay untouched.
/// </summary>
public readonly record struct ObjectiveStep(torch.Tensor Loss, long? Correct, long Triplets, bool Skipped);
