using System.Text;
using Refilled.Engine.Experiments;

namespace Refilled.Engine.Tests.Experiments;

/// <summary>Issue 25: experiment files (or a run folder's config.yaml) written to kill or stall whoever reads them.</summary>
public class HostileExperimentFileTests
{
    const string Head = """
        name: d
        data: { classes: [5, 6] }
        teacher: { file: teacher.refilled }
        student: { architecture: smallcnn-16 }
        stages: { stage1: { epochs: 1 }, stage2: { epochs: 1 } }

        """;

    static ExperimentError Refused(string yaml)
    {
        var e = Assert.Throws<ExperimentValidationException>(() => Experiment.Parse(yaml, "x.yaml"));
        return Assert.Single(e.Errors);
    }

    [Fact]
    public void SixtyThousandNestedListsAreRefusedAtTheFirstTooDeepOneInsteadOfOverflowingTheStack()
    {
        var error = Refused(Head + "x: " + new string('[', 60_000) + new string(']', 60_000) + "\n");
        Assert.Equal(6, error.Line);
        // The file's mapping is the first level, so the bracket at column 3 + MaxDepth opens the one too many.
        Assert.Equal(3 + YamlLimits.MaxDepth, error.Column);
        Assert.Contains($"more than {YamlLimits.MaxDepth} deep", error.Message);
    }

    [Fact]
    public void NestingUpToTheLimitIsStillRead()
    {
        var error = Refused(Head + "x: " + new string('[', YamlLimits.MaxDepth - 1) + new string(']', YamlLimits.MaxDepth - 1) + "\n");
        Assert.Contains("'x'", error.Message);   // an unknown key, found by validation: the file was read
    }

    [Fact]
    public void AnAliasBombAsAMappingKeyIsRefusedAtItsFirstAnchor()
    {
        var yaml = new StringBuilder(Head).Append("b0: &b0 [1, 2]\n");
        for (var n = 1; n <= 20; n++) yaml.Append($"b{n}: &b{n} [*b{n - 1}, *b{n - 1}]\n");
        yaml.Append("? *b20\n: 1\n");
        var error = Refused(yaml.ToString());
        Assert.Equal((6, 5), (error.Line, error.Column));
        Assert.Contains("anchor &b0 is not supported", error.Message);
    }

    [Fact]
    public void AnAliasAndACollectionAsAKeyAreRefusedWithTheirPlace()
    {
        Assert.Contains("alias *a", Refused(Head + "seed: *a\n").Message);
        var error = Refused(Head + "? [1, 2]\n: 1\n");
        Assert.Equal((6, 3), (error.Line, error.Column));
        Assert.Contains("mapping key must be a plain value", error.Message);
    }

    [Fact]
    public void ASweepOfMoreRunsThanAnIntHoldsIsRefusedWithItsExactCount()
    {
        var error = Refused(Head + $"sweep:\n  lambda: {Axis(1291, 0, 0.001)}\n  tau2: {Axis(1291, 1, 0.01)}\n  seed: {Axis(1291, 0, 1)}\n");
        Assert.Contains($"expands to {2_151_685_171L:N0} runs, more than the {Experiment.MaxRuns:N0}", error.Message);
        Assert.Equal(7, error.Line);
    }

    [Fact]
    public void ASweepAtTheCapIsAcceptedAndOneMoreRunIsNot()
    {
        var atCap = Head + $"sweep:\n  seed: {Axis(1000, 0, 1)}\n  tau2: {Axis(Experiment.MaxRuns / 1000, 1, 0.01)}\n";
        Assert.Equal(Experiment.MaxRuns, Experiment.Parse(atCap).RunCount);
        Assert.Contains($"expands to {2 * Experiment.MaxRuns:N0} runs", Refused(atCap + "  lambda: [0.1, 0.2]\n").Message);
    }

    static string Axis(int count, double first, double step) =>
        "[" + string.Join(", ", Enumerable.Range(0, count).Select(i => (first + i * step).ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
