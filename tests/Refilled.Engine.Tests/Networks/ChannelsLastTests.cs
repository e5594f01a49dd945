using Refilled.Engine.Networks;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Networks;

/// <summary>Channels-last layouts: same values, NHWC strides; a grey image gets them without a copy.</summary>
public class ChannelsLastTests
{
    [Fact]
    public void AColourImageIsCopiedIntoNhwcOrder()
    {
        using var scope = NewDisposeScope();
        var x = arange(2 * 3 * 4 * 5, dtype: ScalarType.Float32).reshape(2, 3, 4, 5);
        var y = ChannelsLast.Of(x);
        Assert.True(ChannelsLast.Is(y));
        Assert.False(ChannelsLast.Is(x));
        Assert.True(y.eq(x).all().item<bool>());
    }

    [Fact]
    public void AGreyImageGetsChannelsLastStridesOnTheSameMemory()
    {
        using var scope = NewDisposeScope();
        var x = randn(4, 1, 6, 5);
        var y = ChannelsLast.Of(x);
        Assert.True(ChannelsLast.Is(y));
        Assert.Equal(new long[] { 30, 1, 5, 1 }, y.stride());
        Assert.True(y.eq(x).all().item<bool>());
        // A view, not a copy: a write through it shows in the original.
        y[1, 0, 2, 3] = tensor(42f);
        Assert.Equal(42f, x[1, 0, 2, 3].item<float>());
    }

    [Fact]
    public void AGreyNetworkComputesInChannelsLast()
    {
        manual_seed(3);
        using var net = NetworkSpec.Parse("smallcnn-16").Create(5, 28);
        using var scope = NewDisposeScope();
        net.train();
        var x = randn(4, 1, 28, 28);
        Assert.All(net.Features(x).Groups, g => Assert.True(ChannelsLast.Is(g)));
    }
}
