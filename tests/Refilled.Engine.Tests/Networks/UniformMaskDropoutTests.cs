using Refilled.Engine.Networks;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Networks;

public class UniformMaskDropoutTests
{
    [Theory]
    [InlineData(0.3, ScalarType.Float32)]
    [InlineData(0.5, ScalarType.BFloat16)]
    public void DropsTheRateScalesTheRestAndPassesGradientsThroughTheMask(double rate, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        manual_seed(Random.Shared.Next());
        var x = ones(64, 16, 32, 32, dtype: dtype).requires_grad_();
        var y = UniformMaskDropout.Apply(x, rate, training: true);
        Assert.Equal(dtype, y.dtype);
        var kept = y.ne(0);
        var dropped = 1 - kept.to_type(ScalarType.Float64).mean().item<double>();
        Assert.InRange(dropped, rate - 0.005, rate + 0.005);   // 1 M draws: the standard error is 0.0005
        Assert.True(y.masked_select(kept).to_type(ScalarType.Float32).allclose(full(1, (float)(1 / (1 - rate))), rtol: 0.01, atol: 0));
        y.sum().backward();
        Assert.True(x.grad!.eq(y.detach()).all().item<bool>(), "the gradient is the scaled mask");
    }

    [Fact]
    public void IsTheIdentityInEvalModeAndAtRateZero()
    {
        using var scope = NewDisposeScope();
        var x = randn(8, 4, 5, 5);
        Assert.Same(x, UniformMaskDropout.Apply(x, 0.3, training: false));
        Assert.Same(x, UniformMaskDropout.Apply(x, 0, training: true));
    }
}
