using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>Stage-2 loss and its parts (scalars), plus the teacher logits it matched.</summary>
/// <param name="Loss">CrossEntropy + λ · Kl.</param>
/// <param name="CrossEntropy">Cross-entropy over all classes.</param>
/// <param name="Kl">Batch-mean KL between the teacher's and the student's distributions over the classes in the batch.</param>
/// <param name="TeacherLogits">[B, |CB|] ⟨e_i, c_k⟩ before division by τ2 (no gradient).</param>
public readonly record struct Stage2LossResult(Tensor Loss, Tensor CrossEntropy, Tensor Kl, Tensor TeacherLogits);
