using Refilled.Engine.Evaluation;
using Xunit;

namespace Refilled.Engine.Tests.Evaluation;

public class PairedComparisonTests
{
    [Theory]
    [InlineData(2, 4.302653)]   // n = 3 pairs
    [InlineData(4, 2.776445)]   // n = 5
    [InlineData(9, 2.262157)]   // n = 10
    [InlineData(1, 12.706205)]
    [InlineData(30, 2.042272)]
    public void TwoSidedQuantilesMatchTheTables(int degreesOfFreedom, double expected) =>
        Assert.Equal(expected, StudentT.Quantile(0.975, degreesOfFreedom), 1e-5);

    [Fact]
    public void TheCdfIsSymmetricAndMonotone()
    {
        Assert.Equal(0.5, StudentT.Cdf(0, 5), 12);
        Assert.Equal(1, StudentT.Cdf(2, 5) + StudentT.Cdf(-2, 5), 12);
        Assert.True(StudentT.Cdf(1, 5) < StudentT.Cdf(1.1, 5));
    }

    [Fact]
    public void AWorkedIntervalOverFivePairs()
    {
        // The Fashion-MNIST differences (points): mean 0.456, s = 0.46859, t(4) = 2.77645 → ±0.58184.
        var scratch = new[] { 0.9000, 0.9100, 0.8950, 0.9050, 0.9020 };
        var gains = new[] { 0.53, 1.13, 0.60, 0.01, 0.01 };
        var results = scratch.SelectMany((s, seed) => new[]
        {
            new ComparedResult("Scratch", seed, 20, s),
            new ComparedResult("Refilled", seed, 20, s + gains[seed] / 100),
        });
        var d = Assert.Single(PairedComparison.Compare(results, "Scratch"));
        Assert.Equal(("Refilled", "Scratch", (int?)20, 5), (d.Method, d.Reference, d.K, d.N));
        Assert.Equal(0.456, d.MeanDifference, 1e-9);
        Assert.Equal(0.456 - 0.58184, d.Lower, 1e-4);
        Assert.Equal(0.456 + 0.58184, d.Upper, 1e-4);
        Assert.Equal(ComparisonVerdict.NoClearDifference, d.Verdict);
    }

    [Fact]
    public void VerdictsFollowTheIntervalsSign()
    {
        var ahead = PairedComparison.Interval("A", "S", null, [1.0, 1.2, 0.9, 1.1]);
        var behind = PairedComparison.Interval("B", "S", null, [-1.0, -1.2, -0.9, -1.1]);
        Assert.Equal(ComparisonVerdict.Ahead, ahead.Verdict);
        Assert.True(ahead.Lower > 0);
        Assert.Equal(ComparisonVerdict.Behind, behind.Verdict);
        Assert.True(behind.Upper < 0);
    }

    [Fact]
    public void RunsArePairedBySeedAndKNotByOrder()
    {
        var results = new[]
        {
            new ComparedResult("Scratch", 1, 20, 0.80), new ComparedResult("Scratch", 0, 20, 0.90),
            new ComparedResult("Refilled", 0, 20, 0.91), new ComparedResult("Refilled", 1, 20, 0.81),
            new ComparedResult("Scratch", 0, 100, 0.95), new ComparedResult("Scratch", 1, 100, 0.96),
            new ComparedResult("Refilled", 1, 100, 0.95), new ComparedResult("Refilled", 0, 100, 0.94),
        };
        var byK = PairedComparison.Compare(results, "scratch").ToDictionary(d => d.K!.Value);
        Assert.Equal(1.0, byK[20].MeanDifference, 9);
        Assert.Equal(0.0, byK[20].Upper - byK[20].Lower, 9);
        Assert.Equal(-1.0, byK[100].MeanDifference, 9);
    }

    [Fact]
    public void FewerThanTwoPairsDuplicateSeedsAndAMissingReferenceAreRefused()
    {
        var one = new[] { new ComparedResult("Scratch", 0, null, 0.9), new ComparedResult("Kd", 0, null, 0.91), new ComparedResult("Kd", 1, null, 0.92) };
        var tooFew = Assert.Throws<PairingException>(() => PairedComparison.Compare(one, "Scratch"));
        Assert.Equal(("Kd", PairingProblem.TooFewPairs), (tooFew.Method, tooFew.Problem));
        Assert.Single(PairedComparison.Unpaired(one, "Scratch"));
        var twice = new[] { new ComparedResult("Scratch", 0, null, 0.9), new ComparedResult("Scratch", 0, null, 0.8) };
        Assert.Equal(PairingProblem.DuplicateSeed, Assert.Throws<PairingException>(() => PairedComparison.Compare(twice, "Scratch")).Problem);
        Assert.Equal(PairingProblem.NoReferenceRuns, Assert.Throws<PairingException>(() => PairedComparison.Compare(one, "Refilled")).Problem);
        Assert.Equal(PairingProblem.AccuracyNotFraction,
            Assert.Throws<PairingException>(() => PairedComparison.Compare([new ComparedResult("Scratch", 0, null, 91.0)], "Scratch")).Problem);
    }
}
