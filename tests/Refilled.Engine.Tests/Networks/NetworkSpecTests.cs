using Refilled.Engine.Networks;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Networks;

public class NetworkSpecTests
{
    [Theory]
    [InlineData("wrn-40-2", "wrn-40-2")]
    [InlineData(" WRN-16-1 ", "wrn-16-1")]
    [InlineData("resnet-110", "resnet-110")]
    [InlineData("resnet20", "resnet-20")]
    [InlineData("mobilenet-1", "mobilenet-1.0")]
    [InlineData("mobilenet-0.50", "mobilenet-0.5")]
    [InlineData("mobilenet-0.25", "mobilenet-0.25")]
    [InlineData("SmallCnn", "smallcnn")]
    [InlineData("smallcnn-32", "smallcnn")]
    [InlineData("smallcnn-16", "smallcnn-16")]
    public void ParsesToTheCanonicalSpelling(string text, string canonical)
    {
        var spec = NetworkSpec.Parse(text);
        Assert.Equal(canonical, spec.ToString());
        Assert.Equal(spec, NetworkSpec.Parse(spec.ToString()));
    }

    [Theory]
    [InlineData("wrn-15-2")]
    [InlineData("wrn-16-0")]
    [InlineData("resnet-21")]
    [InlineData("mobilenet-0")]
    [InlineData("vgg-16")]
    [InlineData("")]
    public void RejectsABadSpecListingTheValidForms(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => NetworkSpec.Parse(text));
        Assert.Contains("wrn-<depth>-<width>", e.Message);
        Assert.Contains("smallcnn", e.Message);
        Assert.EndsWith(".", e.Message);
        Assert.DoesNotContain("(Parameter", e.Message);
    }

    [Fact]
    public void EveryExampleParses()
    {
        foreach (var example in NetworkSpec.Examples) Assert.Equal(example, NetworkSpec.Parse(example).ToString());
    }

    [Theory]
    [InlineData("wrn-40-2", 100, 2_200_000, 0.05)]
    [InlineData("wrn-16-1", 10, 170_000, 0.05)]
    [InlineData("resnet-110", 100, 1_730_000, 0.05)]
    public void ParameterCountsMatchThePublishedSizes(string spec, int classes, long expected, double tolerance)
    {
        using var net = NetworkSpec.Parse(spec).Create(classes);
        Console.WriteLine($"{spec} ({classes} classes): {net.ParameterCount:N0} parameters");
        Assert.InRange(net.ParameterCount, (long)(expected * (1 - tolerance)), (long)(expected * (1 + tolerance)));
    }

    [Theory]
    [InlineData("wrn-16-1", 10, 32, 64)]
    [InlineData("resnet-20", 10, 32, 64)]
    [InlineData("mobilenet-0.25", 10, 64, 256)]
    [InlineData("smallcnn", 10, 28, 128)]
    [InlineData("smallcnn-16", 5, 28, 64)]
    public void ForwardGivesLogitsAndEmbeddingsOfTheDeclaredSizes(string spec, int classes, int size, int embedding)
    {
        using var scope = NewDisposeScope();
        using var net = NetworkSpec.Parse(spec).Create(classes, size);
        Assert.Equal(embedding, net.EmbeddingSize);
        Assert.Equal(size, net.InputShape[2]);
        var x = randn([2, .. net.InputShape]);
        var (logits, emb) = net.ForwardBoth(x);
        Assert.Equal(new long[] { 2, classes }, logits.shape);
        Assert.Equal(new long[] { 2, embedding }, emb.shape);

        var backbone = net.BackboneParameters().ToList();
        var head = net.ClassifierParameters().ToList();
        Assert.Equal(2, head.Count);
        Assert.Equal(net.parameters().Count(), backbone.Count + head.Count);
        Assert.DoesNotContain(backbone, p => head.Any(h => h.Handle == p.Handle));
    }

    [Fact]
    public void SmallCnnLearnsAFixedBatch()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var net = NetworkSpec.SmallCnn.Create(10);
        var optimizer = optim.SGD(net.parameters(), 0.1, momentum: 0.9);
        var x = randn(64, 1, 28, 28);
        var y = randint(0, 10, [64]);
        var losses = new List<float>();
        for (var step = 0; step < 20; step++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(net.call(x), y);
            losses.Add(loss.item<float>());
            loss.backward();
            optimizer.step();
        }
        Assert.True(losses[^1] < 0.5 * losses[0], $"loss {losses[0]} -> {losses[^1]} in 20 steps");
    }
}
