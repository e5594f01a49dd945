using static TorchSharp.torch;

namespace Refilled.Engine.Networks;

/// <summary>
/// A forward pass's intermediate features: the output of each group (stage) of the backbone, shallow to deep,
/// each [N, C, H, W], and the pooled embedding [N, EmbeddingSize] the classifier reads.
/// </summary>
public sealed record NetworkFeatures(IReadOnlyList<Tensor> Groups, Tensor Embedding)
{
    /// <summary>Moves every tensor to the dispose scope outside the current one (the caller's).</summary>
    internal NetworkFeatures MoveToOuterDisposeScope()
    {
        foreach (var group in Groups) group.MoveToOuterDisposeScope();
        Embedding.MoveToOuterDisposeScope();
        return this;
    }
}
