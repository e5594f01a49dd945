using Refilled.Engine.Networks;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Refilled.Engine.Tests.Networks;

/// <summary>smallcnn is conv-BN-ReLU-maxpool ×2, conv-BN-ReLU, whatever order it computes ReLU and pooling in.</summary>
public class SmallCnnTests
{
    [Fact]
    public void EmbeddingAndGradientsMatchTheBlocksInTheirDocumentedOrder()
    {
        manual_seed(7);
        using var net = NetworkSpec.Parse("smallcnn-16").Create(5, 28);
        using var scope = NewDisposeScope();
        var parameters = net.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
            foreach (var (name, p) in parameters.Where(p => p.Key.StartsWith("bn")))
                p.copy_(name.EndsWith("weight") ? rand(p.shape) + 0.5 : randn(p.shape));
        // Copies for the reference, so each side's gradients are its own.
        var reference = parameters.ToDictionary(p => p.Key, p => p.Value.detach().clone().requires_grad_());
        var x = randn(6, 1, 28, 28);
        var weights = randn(6, 64);
        net.train();

        (net.Embed(x) * weights).sum().backward();
        var h = x;
        for (var block = 1; block <= 3; block++)
        {
            h = F.conv2d(h, reference[$"conv{block}.weight"], padding: [1, 1]);
            h = F.batch_norm(h, zeros(h.shape[1]), ones(h.shape[1]), reference[$"bn{block}.weight"], reference[$"bn{block}.bias"], training: true);
            h = F.relu(h);
            if (block < 3) h = F.max_pool2d(h, 2);
        }
        var embedding = F.adaptive_avg_pool2d(h, 1).flatten(1);
        (embedding * weights).sum().backward();

        Assert.True(net.Embed(x).allclose(embedding, 1e-4, 1e-5));
        foreach (var name in parameters.Keys.Where(k => !k.StartsWith("fc")))
            Assert.True(parameters[name].grad!.allclose(reference[name].grad!, 1e-3, 1e-4), name);
    }
}
