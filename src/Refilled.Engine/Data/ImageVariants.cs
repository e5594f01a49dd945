using static TorchSharp.torch;

namespace Refilled.Engine.Data;

/// <summary>
/// Which variant of its record each batch image is: <paramref name="Ids"/> (int64 N, on the batch's device) numbers
/// <paramref name="Transform"/>'s outcomes for records of <paramref name="Dataset"/>. Only meaningful for that pair.
/// </summary>
public sealed record ImageVariants(ImageDataset Dataset, IFiniteImageTransform Transform, Tensor Ids);
