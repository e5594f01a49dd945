using static TorchSharp.torch;

namespace Refilled.Engine.Data;

/// <summary>
/// Images (float32 N,C,H,W, normalised), remapped labels (int64 N) and the records' indices in their dataset (int64 N,
/// for objectives that keep per-sample state, like CRD's memory bank) and, when its transform has numbered outcomes,
/// which variant each image is. The tensors belong to the dispose scope that was current when they were made; with no
/// scope, dispose the batch.
/// </summary>
public readonly record struct Batch(Tensor Images, Tensor Labels, Tensor Indices, ImageVariants? Variants = null) : IDisposable
{
    public int Count => (int)Labels.shape[0];

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
        Indices.Dispose();
        Variants?.Ids.Dispose();
    }
}
