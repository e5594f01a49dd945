using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Networks;

/// <summary>Mixed precision for a training student: bfloat16 convolutions, float32 master weights, statistics and outputs.</summary>
public class AutocastTests
{
    [Theory]
    [MemberData(nameof(FrozenNetworkTests.Architectures), MemberType = typeof(FrozenNetworkTests))]
    public void TrainingStepKeepsFloat32WeightsStatisticsAndOutputsAndComputesCloseGradients(string arch, int imageSize)
    {
        if (!BFloat16Support.IsSupported) return;   // refused there: BFloat16IsRefusedWhereTheCpuLacksIt
        var seed = Random.Shared.Next();
        manual_seed(seed);
        using var scope = NewDisposeScope();
        using var net = FrozenNetworkTests.RandomisedNetwork(arch, imageSize);
        net.train();
        var images = randn(16, net.InputShape[0], imageSize, imageSize);
        var labels = randint(0, 10, 16, dtype: ScalarType.Int64);

        var (exactLoss, exactGrads, _) = Step(Precision.Float32);
        var (mixedLoss, mixedGrads, features) = Step(Precision.BFloat16);

        Assert.All(features.Groups.Append(features.Embedding), f => Assert.Equal(ScalarType.Float32, f.dtype));
        Assert.All(net.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.All(net.modules().OfType<BatchNorm2d>(), bn => Assert.Equal(ScalarType.Float32, bn.running_mean!.dtype));
        // bfloat16 rounds to 8 mantissa bits; a random network at batch 16 is the hard case (the stage losses on the
        // released batch stay within 1 %: PrecisionFidelityTests).
        Assert.True(Math.Abs(mixedLoss - exactLoss) <= 0.05 * Math.Abs(exactLoss), $"{arch}: loss {mixedLoss} vs {exactLoss} (seed {seed})");
        Assert.All(mixedGrads, g => Assert.Equal(ScalarType.Float32, g.dtype));
        // The classifier's gradient follows from the forward pass's output: close. Deeper gradients of a random network
        // at batch 16 decorrelate under any perturbation of bfloat16's size (float32 with the input rounded by 0.4 %
        // gives MobileNet cosines of 0.3-0.6 too), so learning under BFloat16 is tested by training (TrainerTests).
        var head = net.ClassifierParameters().Count();
        var cosine = nn.functional.cosine_similarity(cat(exactGrads[^head..].Select(g => g.flatten()).ToList(), 0),
            cat(mixedGrads[^head..].Select(g => g.flatten()).ToList(), 0), 0).item<float>();
        Assert.True(cosine > 0.9, $"{arch}: classifier gradient cosine {cosine} (seed {seed})");
        // The convolutions did run in bfloat16: float32 would give the same gradients bit for bit.
        Assert.Contains(exactGrads.Zip(mixedGrads), g => (g.First - g.Second).abs().max().item<float>() > 0);

        (double Loss, Tensor[] Grads, NetworkFeatures Features) Step(Precision precision)
        {
            manual_seed(seed);
            net.zero_grad();
            NetworkFeatures features;
            Tensor loss;
            using (Autocast.For(precision))
            {
                features = net.Features(images);
                loss = nn.functional.cross_entropy(net.Classify(features.Embedding), labels);
            }
            loss.backward();
            return (loss.item<float>(), [.. net.parameters().Select(p => p.grad!.clone())], features);
        }
    }

    /// <summary>
    /// In training a strided depthwise convolution runs at stride 1 and keeps every s-th output (oneDNN's strided
    /// bfloat16 input gradient is slow): the values and both gradients are the strided convolution's, channels-last.
    /// </summary>
    [Theory]
    [InlineData(16, 2)]
    [InlineData(15, 2)]
    [InlineData(10, 3)]
    public void AStridedDepthwiseConvolutionTrainsAsTheStridedConvolution(int size, int stride)
    {
        if (!BFloat16Support.IsSupported) return;
        var seed = Random.Shared.Next();
        manual_seed(seed);
        using var scope = NewDisposeScope();
        using var conv = nn.Conv2d(8, 8, 3, stride: stride, padding: 1, groups: 8, bias: false);
        var x = ChannelsLast.Of(randn(4, 8, size, size)).to_type(ScalarType.BFloat16).requires_grad_();
        Tensor output;
        using (Autocast.For(Precision.BFloat16)) output = Autocast.Conv(conv, x);
        var upstream = randn(output.shape);
        var (input, weight) = Gradients(output);
        var reference = nn.functional.conv2d(x, conv.weight!.to_type(ScalarType.BFloat16), null, [stride, stride], [1, 1], [1, 1], 8);
        var (referenceInput, referenceWeight) = Gradients(reference);

        Assert.Equal(reference.shape, output.shape);
        Assert.True(ChannelsLast.Is(output));
        AssertClose(reference, output, "output");
        AssertClose(referenceInput, input, "input gradient");
        AssertClose(referenceWeight, weight, "weight gradient");

        (Tensor Input, Tensor Weight) Gradients(Tensor y)
        {
            x.grad?.zero_();
            conv.weight.grad?.zero_();
            (y.to_type(ScalarType.Float32) * upstream).sum().backward();
            return (x.grad!.to_type(ScalarType.Float32).clone(), conv.weight.grad!.clone());
        }

        void AssertClose(Tensor expected, Tensor actual, string what)
        {
            // Both accumulate in float32 and round to bfloat16 (8 mantissa bits) at most once more.
            var scale = expected.to_type(ScalarType.Float32).abs().max().item<float>();
            var error = (expected.to_type(ScalarType.Float32) - actual.to_type(ScalarType.Float32)).abs().max().item<float>();
            Assert.True(error <= 1e-2 * scale, $"{what}: max error {error} against scale {scale} ({size} px, stride {stride}, seed {seed})");
        }
    }

    [Fact]
    public void TheScopeBelongsToItsThreadAndEndsWithDispose()
    {
        if (!BFloat16Support.IsSupported) return;
        Assert.False(Autocast.IsActive);
        using (Autocast.For(Precision.Float32)) Assert.False(Autocast.IsActive);
        var scope = Autocast.For(Precision.BFloat16);
        try
        {
            Assert.True(Autocast.IsActive);
            var elsewhere = true;
            var other = new Thread(() => elsewhere = Autocast.IsActive);
            other.Start();
            other.Join();
            Assert.False(elsewhere);
        }
        finally
        {
            scope.Dispose();
        }
        scope.Dispose();
        Assert.False(Autocast.IsActive);
    }

    [Fact]
    public void BFloat16IsRefusedWhereTheCpuLacksIt()
    {
        var native = BFloat16Support.IsSupported;
        try
        {
            BFloat16Support.IsSupported = false;
            var error = Assert.Throws<PrecisionNotSupportedException>(() => Autocast.For(Precision.BFloat16));
            Assert.Contains("Float32", error.Message);
            Assert.False(Autocast.IsActive);
        }
        finally
        {
            BFloat16Support.IsSupported = native;
        }
    }
}
