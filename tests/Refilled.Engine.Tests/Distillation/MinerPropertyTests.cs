using Refilled.Engine.Methods;
using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Distillation;

public class MinerPropertyTests
{
    // Distances are float32 in the miner and float64 here; a candidate this close to a boundary may go either way.
    const double Ambiguity = 1e-5;

    public static TheoryData<int> Seeds => new(Enumerable.Range(0, 30).Select(i => 1009 + 7919 * i));

    [Theory, MemberData(nameof(Seeds))]
    public void EveryMinedTripletIsSemiHardAndNoneIsMissed(int seed)
    {
        var random = new RandomBatch(seed);
        int b = random.Next(4, 17), classes = random.Next(2, 5), dim = random.Next(2, 9);
        var margin = new[] { 0.1, 0.2, 0.5 }[random.Next(0, 3)];
        using var scope = NewDisposeScope();
        var embeddings = random.Normal(b, dim, scale: 0.1 + 3 * random.Next(0, 10) / 10.0);
        var labels = random.Labels(b, classes);

        var mined = new SemiHardTripletMiner(margin).Mine(embeddings, labels);
        var a = mined.Anchors.data<long>().ToArray();
        var p = mined.Positives.data<long>().ToArray();
        var n = mined.Negatives.data<long>().ToArray();
        var minedSet = a.Select((_, i) => (a[i], p[i], n[i])).ToList();

        var distance = BruteForceDistances(embeddings.data<float>().ToArray(), b, dim);
        var y = labels.data<long>().ToArray();
        var expected = new List<(long, long, long)>();
        for (var i = 0; i < b; i++)
        for (var j = 0; j < b; j++)
        for (var k = 0; k < b; k++)
        {
            if (i == j || y[i] != y[j] || y[k] == y[i]) continue;
            var m = distance[i, k] - distance[i, j];
            var ambiguous = Math.Abs(m) < Ambiguity || Math.Abs(m - margin) < Ambiguity;
            var semiHard = m > 0 && m <= margin;
            if (minedSet.Contains((i, j, k)))
                Assert.True(semiHard || ambiguous, $"({i},{j},{k}) has margin {m} outside (0, {margin}]");
            else
                Assert.False(semiHard && !ambiguous, $"semi-hard ({i},{j},{k}) with margin {m} was missed");
        }
        foreach (var (i, j, k) in minedSet)
            Assert.True(i != j && y[i] == y[j] && y[k] != y[i], $"({i},{j},{k}) is not a valid triplet");
        Assert.True(minedSet.SequenceEqual(minedSet.Order()), "triplets are not in lexicographic order");
        Assert.Equal(minedSet.Count, minedSet.Distinct().Count());
    }

    [Fact]
    public void ABatchOfDistinctLabelsHasNoTriplet()
    {
        using var scope = NewDisposeScope();
        var random = new RandomBatch(5);
        var mined = new SemiHardTripletMiner().Mine(random.Normal(8, 4), arange(8L));
        Assert.True(mined.IsEmpty);
        Assert.Equal(new long[] { 0 }, mined.Anchors.shape);
        Assert.Equal(ScalarType.Int64, mined.Anchors.dtype);
    }

    static double[,] BruteForceDistances(float[] values, int b, int dim)
    {
        var x = new double[b, dim];
        for (var i = 0; i < b; i++)
        {
            var norm = Math.Max(Math.Sqrt(Enumerable.Range(0, dim).Sum(k => (double)values[i * dim + k] * values[i * dim + k])), 1e-12);
            for (var k = 0; k < dim; k++) x[i, k] = values[i * dim + k] / norm;
        }
        var d = new double[b, b];
        for (var i = 0; i < b; i++)
        for (var j = 0; j < b; j++)
            d[i, j] = Math.Sqrt(Enumerable.Range(0, dim).Sum(k => (x[i, k] - x[j, k]) * (x[i, k] - x[j, k])));
        return d;
    }
}
