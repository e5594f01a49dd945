using Refilled.Engine.Experiments;

namespace Refilled.Engine.Tests.Experiments;

public class ExperimentTests
{
    const string Valid = """
        name: t
        data: { classes: [5, 6] }
        teacher: { file: teacher.refilled }
        student: { architecture: smallcnn-16 }
        stages:
          stage1: { epochs: 2 }
          stage2: { epochs: 2 }
        seeds: [0, 1]
        sweep:
          lambda: [0.1, 1]
          tau2: [1, 2, 4]
        """;

    [Fact]
    public void AnUnknownKeyNamesItsPlaceAndTheClosestValidKey()
    {
        var e = Assert.Throws<ExperimentValidationException>(() => Experiment.Parse(Valid.Replace("stage2: { epochs: 2 }", "stage2: { epochs: 2, lamda: 3 }"), "x.yaml"));
        var error = Assert.Single(e.Errors);
        Assert.Equal((7L, 24L), (error.Line, error.Column));
        Assert.Contains("did you mean 'lambda'", error.Message);
    }

    [Fact]
    public void TheGridExpandsInFileOrderWithSeedsInnermost()
    {
        var runs = Experiment.Parse(Valid).Expand();
        Assert.Equal(12, runs.Count);
        Assert.Equal("lambda=0.1_tau2=1_seed=0", runs[0].Id);
        Assert.Equal("lambda=0.1_tau2=1_seed=1", runs[1].Id);
        Assert.Equal("lambda=1_tau2=4_seed=1", runs[11].Id);
        Assert.Equal((1.0, 4.0, 1), (runs[11].Config.Stage2!.Lambda, runs[11].Config.Stage2!.Tau, runs[11].Config.Seed));
    }

    [Fact]
    public void AResolvedConfigRoundTripsThroughYaml()
    {
        var run = Experiment.Parse(Valid).Expand()[7];
        var yaml = ExperimentYaml.Write(run.Config);
        var again = Experiment.Parse(yaml);
        Assert.Equal(1, again.RunCount);
        Assert.Equal(yaml, ExperimentYaml.Write(again.Base));
        Assert.Equal(run.Config.Stage2, again.Base.Stage2);
    }
}
