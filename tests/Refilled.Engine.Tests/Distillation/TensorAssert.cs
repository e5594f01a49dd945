using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Distillation;

/// <summary>The golden tolerances: exact indices, relative 1e-3 on losses, max-relative 1e-4 on gradients and centres.</summary>
internal static class TensorAssert
{
    public static void SameIndices(IEnumerable<long> expected, Tensor actual, string what)
    {
        var want = expected.ToArray();
        var got = actual.to_type(ScalarType.Int64).flatten().data<long>().ToArray();
        Assert.True(want.SequenceEqual(got),
            $"{what}: expected {want.Length} values [{string.Join(",", want.Take(20))}...], got {got.Length} [{string.Join(",", got.Take(20))}...]");
    }

    public static void RelativelyClose(double expected, Tensor actual, string what, double tolerance = 1e-3)
    {
        var value = actual.to_type(ScalarType.Float64).item<double>();
        Assert.True(Math.Abs(value - expected) <= tolerance * Math.Abs(expected),
            $"{what}: expected {expected:R}, got {value:R} (relative error {Math.Abs(value - expected) / Math.Abs(expected):E2})");
    }

    /// <summary>max|g − g*| ≤ tolerance · max|g*| (so an all-zero expectation demands exact zeros).</summary>
    public static void MaxRelativelyClose(double[] expected, long[] shape, Tensor? actual, string what, double tolerance = 1e-4)
    {
        Assert.NotNull(actual);
        Assert.Equal(shape, actual.shape);
        var got = actual.to_type(ScalarType.Float64).flatten().data<double>().ToArray();
        var scale = expected.Max(Math.Abs);
        var error = expected.Zip(got, (e, g) => Math.Abs(e - g)).DefaultIfEmpty(0).Max();
        Assert.True(got.All(double.IsFinite), $"{what}: non-finite values");
        Assert.True(error <= tolerance * scale, $"{what}: max|g - g*| = {error:E3} > {tolerance:E0} * {scale:E3}");
    }
}
