namespace Refilled.Engine.Runtime;

/// <summary>
/// Whether this CPU computes bfloat16 natively (x86 AVX512-BF16 or AMX-BF16, Arm BF16). Elsewhere libtorch emulates
/// bfloat16 with float32 arithmetic plus conversions, slower than float32 itself, so <see cref="Precision.BFloat16"/>
/// is refused there.
/// </summary>
public static class BFloat16Support
{
    static readonly string[] NativeFlags = ["avx512_bf16", "amx_bf16", "bf16"];

    /// <summary>The CPU probe's answer; tests set it (internal) to see the refusal on a CPU that has bfloat16.</summary>
    public static bool IsSupported { get; internal set; } = NativeFlags.Any(CpuInfo.Flags.Contains);

    /// <summary>Throws a <see cref="PrecisionNotSupportedException"/> naming the CPU when <paramref name="precision"/> cannot run here.</summary>
    public static void EnsureSupported(Precision precision)
    {
        if (precision == Precision.BFloat16 && !IsSupported)
            throw new PrecisionNotSupportedException(precision,
                $"Precision BFloat16 needs a CPU with native bfloat16 arithmetic (AVX512-BF16, AMX-BF16 or Arm BF16); this CPU " +
                $"({CpuInfo.Model}) has none, and emulated bfloat16 runs slower than Float32. Use Precision Float32.");
    }
}
