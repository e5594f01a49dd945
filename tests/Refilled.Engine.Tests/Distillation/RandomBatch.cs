using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Distillation;

/// <summary>Seeded random batches for the property tests (never all zero).</summary>
internal sealed class RandomBatch
{
    readonly Random random;

    public RandomBatch(int seed) => random = new Random(seed);

    public int Next(int minInclusive, int maxExclusive) => random.Next(minInclusive, maxExclusive);

    /// <summary>[rows, columns] standard normal values, times <paramref name="scale"/>.</summary>
    public Tensor Normal(int rows, int columns, double scale = 1) =>
        tensor(Enumerable.Range(0, rows * columns).Select(_ => (float)(scale * Gaussian())).ToArray(), [rows, columns]);

    /// <summary>[rows, columns] non-negative values, like post-ReLU pooled features; no row is zero.</summary>
    public Tensor NonNegative(int rows, int columns) =>
        tensor(Enumerable.Range(0, rows * columns).Select(_ => (float)(0.01 + Math.Abs(Gaussian()))).ToArray(), [rows, columns]);

    /// <summary>[count] labels in [0, classes), every class present when count ≥ classes.</summary>
    public Tensor Labels(int count, int classes)
    {
        var labels = Enumerable.Range(0, count).Select(i => (long)(i < classes ? i : random.Next(classes))).OrderBy(_ => random.Next()).ToArray();
        return tensor(labels);
    }

    double Gaussian() => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
