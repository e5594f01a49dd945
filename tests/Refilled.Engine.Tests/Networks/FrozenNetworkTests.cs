using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Networks;

/// <summary>The frozen copy (BatchNorm folded, channels-last, inference mode) computes what the eval-mode network computes.</summary>
public class FrozenNetworkTests
{
    public static TheoryData<string, int> Architectures => new()
    {
        { "wrn-16-1", 32 }, { "resnet-20", 32 }, { "mobilenet-0.25", 64 }, { "smallcnn-16", 28 },
    };

    [Theory]
    [MemberData(nameof(Architectures))]
    public void FoldedFloat32CopyMatchesTheEvalForward(string arch, int imageSize)
    {
        var seed = Random.Shared.Next();
        manual_seed(seed);
        using var scope = NewDisposeScope();
        using var net = RandomisedNetwork(arch, imageSize);
        var images = randn(6, net.InputShape[0], imageSize, imageSize);
        Tensor logits, embedding;
        using (no_grad()) (logits, embedding) = net.ForwardBoth(images);

        using var frozen = FrozenNetwork.Of(net);
        var (frozenLogits, frozenEmbedding) = frozen.ForwardBoth(images);
        GoldenNetTests.AssertClose(embedding, frozenEmbedding, $"{arch} embedding (seed {seed})");
        GoldenNetTests.AssertClose(logits, frozenLogits, $"{arch} logits (seed {seed})");
        Assert.Equal(ScalarType.Float32, frozenEmbedding.dtype);
    }

    [Fact]
    public void FreezingLeavesTheSourceNetworkAsItWas()
    {
        using var scope = NewDisposeScope();
        using var net = RandomisedNetwork("mobilenet-0.25", 64);
        net.train();
        var before = net.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        using (FrozenNetwork.Of(net, BFloat16Support.IsSupported ? Precision.BFloat16 : Precision.Float32)) { }

        Assert.True(net.training);
        var after = net.state_dict();
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (key, value) in before)
        {
            Assert.Equal(value.dtype, after[key].dtype);
            Assert.True(value.eq(after[key]).all().item<bool>(), key);
            Assert.True(after[key].is_contiguous(), $"{key} is no longer contiguous: checkpoints would change");
        }
    }

    [Fact]
    public void FrozenOutputsCanEnterADifferentiatedLoss()
    {
        using var scope = NewDisposeScope();
        using var teacher = RandomisedNetwork("wrn-16-1", 32);
        using var student = NetworkSpec.Parse("wrn-16-1").Create(10);
        using var frozen = FrozenNetwork.Of(teacher);
        var images = randn(4, 3, 32, 32);
        var loss = (student.Embed(images) * frozen.Embed(images)).sum();
        loss.backward();
        Assert.True(student.BackboneParameters().All(p => p.grad is not null));
    }

    [Fact]
    public void BFloat16IsRefusedExactlyWhereTheCpuLacksIt()
    {
        BFloat16Support.EnsureSupported(Precision.Float32);
        if (BFloat16Support.IsSupported)
        {
            BFloat16Support.EnsureSupported(Precision.BFloat16);
            return;
        }
        using var net = NetworkSpec.Parse("smallcnn-16").Create(4);
        var error = Assert.Throws<PrecisionNotSupportedException>(() => FrozenNetwork.Of(net, Precision.BFloat16));
        Assert.Contains("bfloat16", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Architectures))]
    public void BFloat16CopyStaysCloseToFloat32(string arch, int imageSize)
    {
        if (!BFloat16Support.IsSupported) return;   // refused there: BFloat16IsRefusedExactlyWhereTheCpuLacksIt
        var seed = Random.Shared.Next();
        manual_seed(seed);
        using var scope = NewDisposeScope();
        using var net = RandomisedNetwork(arch, imageSize);
        var images = randn(8, net.InputShape[0], imageSize, imageSize);
        using var exact = FrozenNetwork.Of(net);
        using var fast = FrozenNetwork.Of(net, Precision.BFloat16);
        var reference = exact.Embed(images);
        var approximate = fast.Embed(images);
        Assert.Equal(ScalarType.Float32, approximate.dtype);
        // bfloat16 keeps 8 mantissa bits (relative rounding 0.4 %); errors partly cancel through a deep network.
        var relative = ((approximate - reference).norm() / reference.norm()).item<float>();
        Assert.True(relative < 0.05, $"{arch}: relative error {relative} (seed {seed})");
    }

    /// <summary>A fresh network whose BatchNorms have non-trivial affine parameters and running statistics.</summary>
    internal static RefilledNetwork RandomisedNetwork(string arch, int imageSize, int classes = 10)
    {
        var net = NetworkSpec.Parse(arch).Create(classes, imageSize);
        using var noGrad = no_grad();
        foreach (var bn in net.modules().OfType<BatchNorm2d>())
        {
            bn.weight!.copy_(rand_like(bn.weight) + 0.5);
            bn.bias!.copy_(randn_like(bn.bias) * 0.1);
            bn.running_mean!.copy_(randn_like(bn.running_mean) * 0.1);
            bn.running_var!.copy_(rand_like(bn.running_var) + 0.5);
        }
        net.eval();
        return net;
    }
}
