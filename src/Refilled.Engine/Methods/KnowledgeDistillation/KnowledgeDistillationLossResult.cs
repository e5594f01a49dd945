using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>Hinton KD loss and its parts (scalars).</summary>
/// <param name="Loss">(1 − α) · CrossEntropy + α · T² · Kl.</param>
/// <param name="CrossEntropy">Cross-entropy with the labels.</param>
/// <param name="Kl">Batch-mean KL between the softened teacher and student distributions.</param>
public readonly record struct KnowledgeDistillationLossResult(Tensor Loss, Tensor CrossEntropy, Tensor Kl);
