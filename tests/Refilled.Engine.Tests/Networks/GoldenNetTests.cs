using Refilled.Engine.Checkpoints;
using Refilled.Engine.Networks;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Networks;

/// <summary>Every net in the golden folder, loaded from both of its PyTorch files, reproduces PyTorch.</summary>
public class GoldenNetTests
{
    [Fact]
    public void EveryGoldenNetReproducesThePyTorchOutputs()
    {
        foreach (var golden in GoldenNetCase.All())
        {
            foreach (var file in new[] { golden.ModelFile, golden.StateDictFile })
            {
                using var net = PyTorchCheckpointImporter.Load(file, golden.Spec, imageSize: golden.ImageSize);
                Assert.Equal(golden.NumClasses, net.NumClasses);
                CheckStateDict(golden, net, file);
                CheckOutputs(golden, net, file);
            }
        }
    }

    [Fact]
    public void FreshNetworksHaveTheGoldenKeysInOrder()
    {
        foreach (var golden in GoldenNetCase.All())
        {
            using var net = golden.Spec.Create(golden.NumClasses, golden.ImageSize);
            var expected = golden.Root.GetProperty("state_dict").EnumerateArray().Select(r => r.GetProperty("key").GetString()!).ToList();
            Assert.Equal(expected, net.state_dict().Keys.ToList());
            Assert.Equal(golden.Root.GetProperty("n_keys").GetInt32(), expected.Count);
            Assert.Equal(golden.Root.GetProperty("n_parameters").GetInt64(), net.ParameterCount);
        }
    }

    static void CheckStateDict(GoldenNetCase golden, RefilledNetwork net, string file)
    {
        var rows = golden.Root.GetProperty("state_dict").EnumerateArray().ToList();
        var actual = net.state_dict().ToList();
        Assert.Equal(rows.Count, actual.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var (key, tensor) = actual[i];
            var where = $"{Path.GetFileName(file)} {key}";
            Assert.Equal(row.GetProperty("key").GetString(), key);
            Assert.Equal(row.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(), tensor.shape);
            if (row.GetProperty("dtype").GetString() == "int64")
            {
                Assert.Equal(ScalarType.Int64, tensor.dtype);
                Assert.Equal(row.GetProperty("sum").GetInt64(), tensor.sum().item<long>());
                if (key.EndsWith(".num_batches_tracked", StringComparison.Ordinal)) Assert.Equal(3L, tensor.item<long>());
            }
            else
            {
                Assert.Equal(ScalarType.Float32, tensor.dtype);
                var flat = tensor.flatten();
                var first = row.GetProperty("first").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray();
                for (var k = 0; k < first.Length; k++) Assert.True(first[k] == flat[k].item<float>(), $"{where}: value {k} differs");
                var sum = row.GetProperty("sum").GetDouble();
                var actualSum = tensor.to_type(ScalarType.Float64).sum().item<double>();
                Assert.True(Math.Abs(actualSum - sum) <= 1e-5 * Math.Max(1, Math.Abs(sum)), $"{where}: sum {actualSum} != {sum}");
            }
        }
    }

    static void CheckOutputs(GoldenNetCase golden, RefilledNetwork net, string file)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        net.eval();
        var (logits, embedding) = net.ForwardBoth(golden.Input());
        AssertClose(golden.Expected("embedding_f32"), embedding, $"{file}: embedding");
        AssertClose(golden.Expected("logits_f32"), logits, $"{file}: logits");
        AssertClose(golden.Expected("logits_f32"), net.call(golden.Input()), $"{file}: forward");
        AssertClose(golden.Expected("embedding_f32"), net.Embed(golden.Input()), $"{file}: Embed");
        // The frozen copy (BatchNorm folded, channels-last, inference mode) that teachers and evaluation run.
        using var frozen = FrozenNetwork.Of(net);
        var (frozenLogits, frozenEmbedding) = frozen.ForwardBoth(golden.Input());
        AssertClose(golden.Expected("embedding_f32"), frozenEmbedding, $"{file}: frozen embedding");
        AssertClose(golden.Expected("logits_f32"), frozenLogits, $"{file}: frozen logits");
    }

    internal static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        var scale = expected.abs().max().item<float>();
        var diff = (expected - actual).abs().max().item<float>();
        Assert.True(diff <= 1e-4 * scale, $"{what}: max abs diff {diff} > 1e-4 * {scale}");
    }
}
