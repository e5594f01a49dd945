using static TorchSharp.torch;

namespace Refilled.Engine.Data;

/// <summary>
/// Images (float32 N,C,H,W, normalised) and remapped labels (int64 N). The tensors belong to the dispose scope that
/// was current when they were made; with no scope, dispose the batch.
/// </summary>
public readonly record struct Batch(Tensor Images, Tensor Labels) : IDisposable
{
    public int Count => (int)Labels.shape[0];

    public void Dispose()
    {
        Images.Dispose();
        Labels.Dispose();
    }
}
