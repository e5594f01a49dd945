using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>RKD loss and its parts (scalars).</summary>
/// <param name="Loss">DistanceWeight · Distance + AngleWeight · Angle.</param>
/// <param name="Distance">Mean smooth-L1 between the normalised distance matrices.</param>
/// <param name="Angle">Mean smooth-L1 between the triplet angle tensors.</param>
public readonly record struct RkdLossResult(Tensor Loss, Tensor Distance, Tensor Angle);
