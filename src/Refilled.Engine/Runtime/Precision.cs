namespace Refilled.Engine.Runtime;

/// <summary>The number format of the frozen networks' forward passes (the frozen teacher, evaluation).</summary>
public enum Precision
{
    /// <summary>IEEE single precision everywhere: the default, and what the golden vectors are checked in.</summary>
    Float32,
    /// <summary>
    /// Frozen forwards in bfloat16 (float32 range, 8-bit mantissa), their outputs back in float32 before any loss;
    /// a training student's convolutions in bfloat16 on casts of its float32 weights (<see cref="Networks.Autocast"/>);
    /// trained weights, gradients and losses stay float32. Only where the CPU computes bfloat16 natively.
    /// </summary>
    BFloat16,
}
