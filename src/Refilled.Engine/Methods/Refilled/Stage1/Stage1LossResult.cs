using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>A stage-1 loss value.</summary>
/// <param name="Loss">Scalar loss in the student's dtype. When <paramref name="Skipped"/> it is a zero whose gradient is zero.</param>
/// <param name="TripletCount">Number of semi-hard triplets the loss was computed over.</param>
/// <param name="Skipped">True when the batch had no semi-hard triplet (the released code gives NaN or crashes there).</param>
public readonly record struct Stage1LossResult(Tensor Loss, long TripletCount, bool Skipped);
