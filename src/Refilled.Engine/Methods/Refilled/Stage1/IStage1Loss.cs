using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>Stage-1 loss: matches the student's triplet relationships to the teacher's.</summary>
public interface IStage1Loss
{
    /// <summary>Computes the loss over the given triplets.</summary>
    /// <param name="studentEmbedding">[B, Ds] L2-normalised student embeddings (gradients flow into them).</param>
    /// <param name="teacherEmbedding">[B, Dt] L2-normalised teacher embeddings, treated as a constant.</param>
    /// <param name="triplets">Triplets mined on the student's embeddings.</param>
    Stage1LossResult Compute(Tensor studentEmbedding, Tensor teacherEmbedding, MinedTriplets triplets);
}
