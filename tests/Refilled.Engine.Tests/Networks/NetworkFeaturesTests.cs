using Refilled.Engine.Networks;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Networks;

/// <summary>The group outputs the feature distillers read come from the same pass as the embedding and the logits.</summary>
public class NetworkFeaturesTests
{
    [Theory]
    [InlineData("smallcnn-16", 28, "16x14x14 32x7x7 64x7x7")]
    [InlineData("wrn-16-2", 32, "32x32x32 64x16x16 128x8x8")]
    [InlineData("resnet-8", 32, "16x32x32 32x16x16 64x8x8")]
    [InlineData("mobilenet-0.25", 32, "16x16x16 32x8x8 64x4x4 128x2x2 256x1x1")]
    public void GroupsHaveTheStageShapesAndTheEmbeddingIsTheForwardPasses(string spec, int imageSize, string groups)
    {
        manual_seed(imageSize + spec.Length);
        // No WRN dropout: train-mode BN makes every layer's batch statistics matter, and passes must be repeatable.
        using var net = NetworkSpec.Parse(spec).Create(5, imageSize, dropout: 0);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        net.train();
        var x = randn(3, net.InputShape[0], imageSize, imageSize);
        var features = net.Features(x);
        var expected = groups.Split(' ').Select(g => g.Split('x').Select(long.Parse).ToArray()).ToList();
        Assert.Equal(expected, features.Groups.Select(g => g.shape[1..]).ToList());
        Assert.All(features.Groups, g => Assert.Equal(3, g.shape[0]));
        Assert.Equal(expected, net.GroupShapes().ToList());
        Assert.True(net.training, "GroupShapes restores the training mode");
        Assert.True(features.Embedding.allclose(net.Embed(x), 1e-5, 1e-6));
        Assert.True(net.Classify(features.Embedding).allclose(net.forward(x), 1e-5, 1e-6));
    }
}
