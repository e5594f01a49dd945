namespace Refilled.Engine.Methods;

/// <summary>How attention transfer weighs the sum of its per-group losses with β.</summary>
public enum BetaConvention
{
    /// <summary>β · Σ_l: the code of both attention-transfer (cifar.py, every commit from 084890a on) and RepDistiller (train_student.py with AT.py, -b 1000).</summary>
    Beta,
    /// <summary>β/2 · Σ_l: the paper's equation 2 (Zagoruyko &amp; Komodakis, ICLR 2017).</summary>
    HalfBeta,
}
