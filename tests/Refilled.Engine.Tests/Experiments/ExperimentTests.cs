using Refilled.Engine.Experiments;
using Refilled.Engine.Methods;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;

namespace Refilled.Engine.Tests.Experiments;

public class ExperimentTests
{
    internal const string Valid = """
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

    [Fact]
    public void DeviceAndPrecisionAreRunWideKeysThatRoundTripAndDefaultToTheCpuInFloat32()
    {
        var plain = Experiment.Parse(Valid).Base;
        Assert.Equal((null, Precision.Float32), (plain.Device, plain.Precision));
        Assert.DoesNotContain("device", ExperimentYaml.Write(plain));
        Assert.DoesNotContain("precision", ExperimentYaml.Write(plain));
        // cuda parses on a machine without a GPU: the file may be exported to a GPU cluster; availability is checked when a run starts.
        var run = Experiment.Parse(Valid + "\ndevice: CUDA\nprecision: bfloat16").Expand()[5];
        Assert.Equal((DeviceSpec.Cuda(0), Precision.BFloat16), (run.Config.Device, run.Config.Precision));
        var yaml = ExperimentYaml.Write(run.Config);
        Assert.Contains("\ndevice: cuda:0\n", yaml);
        Assert.Contains("\nprecision: bfloat16\n", yaml);
        var again = Experiment.Parse(yaml).Base;
        Assert.Equal((run.Config.Device, run.Config.Precision), (again.Device, again.Precision));
    }

    [Theory]
    [InlineData("device: gpu", "'device': 'gpu' is not a device")]
    [InlineData("device: meta", "'device' meta holds shapes without values")]
    [InlineData("device: [cpu]", "'device' must be a text value")]
    [InlineData("precision: half", "'precision' must be one of float32, bfloat16, not 'half'")]
    [InlineData("precision: 1", "'precision' must be one of float32, bfloat16")]
    public void ABadDeviceOrPrecisionIsReportedAtItsLineAndColumn(string line, string message)
    {
        var error = Assert.Single(Invalid(Valid + "\n" + line).Errors);
        Assert.Equal((12L, (long)line.IndexOf(' ') + 2), (error.Line, error.Column));
        Assert.Contains(message, error.Message);
    }

    static ExperimentValidationException Invalid(string yaml) => Assert.Throws<ExperimentValidationException>(() => Experiment.Parse(yaml, "x.yaml"));

    [Fact]
    public void AStageWithoutKeysHasTheRecipesDefaults()
    {
        var c = Experiment.Parse(Valid.Replace("stage1: { epochs: 2 }", "stage1: {}").Replace("stage2: { epochs: 2 }", "stage2: {}")).Base;
        Assert.Equal(new Stage1Recipe(), c.Stage1);
        Assert.Equal(new Stage2Recipe(), c.Stage2);
        Assert.Equal(200, c.Stage2!.Epochs);
    }

    [Fact]
    public void EveryScalarStageKeyCanBeSweptAndReadsLikeThePlainKey()
    {
        var runs = Experiment.Parse(Valid.Replace("  lambda: [0.1, 1]\n  tau2: [1, 2, 4]", "  stage1.variant: [triplet, tuple]\n  stage2.nesterov: [true, false]\n  stage2.lambda_decay: [0.9]")).Expand();
        Assert.Equal(8, runs.Count);
        Assert.Equal("stage1.variant=tuple_stage2.nesterov=false_stage2.lambda_decay=0.9_seed=1", runs[7].Id);
        Assert.Equal((Stage1Variant.Tuple, false, 0.9), (runs[7].Config.Stage1!.Variant, runs[7].Config.Stage2!.Nesterov, runs[7].Config.Stage2!.LambdaDecay));
        Assert.Equal(Stage1Variant.Triplet, runs[0].Config.Stage1!.Variant);
    }

    [Theory]
    [InlineData("tau1: [0]", "'sweep.tau1' must be between 0.001 and 1000, not 0")]
    [InlineData("lr: [0]", "'sweep.lr' must be between 1E-09 and 100, not 0")]
    [InlineData("stage2.gamma: [2]", "'sweep.stage2.gamma' must be between 0 and 1, not 2")]
    [InlineData("stage1.variant: [triangle]", "'sweep.stage1.variant' must be one of triplet, tuple, not 'triangle'")]
    [InlineData("samples_per_class: [0]", "'sweep.samples_per_class' must be between 1 and")]
    [InlineData("validation_per_class: [5, 0]", "'sweep.validation_per_class' must be between 1 and")]
    public void SweepValuesGetThePlainKeysRangeChecks(string sweep, string message)
    {
        var e = Invalid(Valid.Replace("  lambda: [0.1, 1]\n  tau2: [1, 2, 4]", "  " + sweep));
        Assert.Contains(message, Assert.Single(e.Errors).Message);
    }

    [Theory]
    [InlineData("name: ..")]
    [InlineData("name: .")]
    [InlineData("name: \"t\\n\"")]
    [InlineData("name: a/b")]
    public void ANameThatIsNotOneFolderIsRefused(string name)
    {
        var e = Invalid(Valid.Replace("name: t", name));
        Assert.Contains("'name' must be letters", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void DuplicateSeedsAreRefused()
    {
        var e = Invalid(Valid.Replace("seeds: [0, 1]", "seeds: [0, 1, 0]"));
        Assert.Contains("'seeds' lists a seed twice", Assert.Single(e.Errors).Message);
    }

    [Fact]
    public void ARunMayHoldStageOneOnlyOrStageTwoFromATrainedStudent()
    {
        var stage1Only = Experiment.Parse(Valid.Replace("  stage2: { epochs: 2 }\n", "").Replace("  lambda: [0.1, 1]\n  tau2: [1, 2, 4]", "  tau1: [1, 2]")).Base;
        Assert.Equal([TrainingStage.Stage1], stage1Only.Stages.Select(s => s.Stage));
        var stage2Only = Experiment.Parse(Valid.Replace("student: { architecture: smallcnn-16 }", "student: { file: s.refilled }").Replace("  stage1: { epochs: 2 }\n", ""), "/tmp/x.yaml");
        Assert.Equal([TrainingStage.Stage2], stage2Only.Base.Stages.Select(s => s.Stage));
        Assert.Equal("/tmp/s.refilled", stage2Only.Base.StudentFile);
        var yaml = ExperimentYaml.Write(stage2Only.Expand()[3].Config);
        Assert.Equal(yaml, ExperimentYaml.Write(Experiment.Parse(yaml).Base));
        Assert.Equal(stage2Only.Expand()[3].Config.Stage2, Experiment.Parse(yaml).Base.Stage2);
    }

    [Fact]
    public void ABaselineTakesOnlyItsMethodsKeys()
    {
        const string baseline = """
            name: b
            data: { classes: [5, 6] }
            student: { architecture: smallcnn-16 }
            stages:
              baseline: { method: scratch, epochs: 3, temperature: 4 }
            """;
        var e = Invalid(baseline);
        Assert.Contains("'stages.baseline.temperature' does not apply to the scratch baseline", Assert.Single(e.Errors).Message);
        var kd = Experiment.Parse(baseline.Replace("scratch", "knowledgedistillation").Replace("student:", "teacher: { file: t.refilled }\nstudent:")).Base;
        Assert.Equal(new KnowledgeDistillationRecipe { Epochs = 3, Temperature = 4 }, kd.Baseline);
    }

    [Fact]
    public void FewShotValidationReplacesTheFractionAndRoundTrips()
    {
        var c = Experiment.Parse(Valid.Replace("data: { classes: [5, 6] }", "data: { classes: [5, 6], samples_per_class: 20, validation_per_class: 10 }")).Base;
        Assert.Equal((10, 0.0, true), (c.Data.ValidationPerClass, c.Data.ValidationFraction, c.Data.HasValidation));
        var yaml = ExperimentYaml.Write(c);
        Assert.Contains("validation_per_class: 10", yaml);
        Assert.DoesNotContain("validation_fraction", yaml);
        Assert.Equal(c.Data, Experiment.Parse(yaml).Base.Data with { Classes = c.Data.Classes });
        var fraction = Experiment.Parse(Valid).Base.Data;
        Assert.Equal((null, 0.2), (fraction.ValidationPerClass, fraction.ValidationFraction));
    }

    [Fact]
    public void FewShotValidationAndAFractionAreRefusedTogether()
    {
        var e = Invalid(Valid.Replace("data: { classes: [5, 6] }", "data: { classes: [5, 6], validation_per_class: 10, validation_fraction: 0.1 }"));
        Assert.Contains("'data.validation_fraction' or 'data.validation_per_class' (few-shot), not both", Assert.Single(e.Errors).Message);
        var swept = Invalid(Valid.Replace("data: { classes: [5, 6] }", "data: { classes: [5, 6], validation_fraction: 0.1 }").Replace("tau2: [1, 2, 4]", "validation_per_class: [5, 10]"));
        Assert.Contains("'data.validation_fraction' carves a fraction", Assert.Single(swept.Errors).Message);
        Assert.Contains("must be between 1 and", Assert.Single(Invalid(Valid.Replace("data: { classes: [5, 6] }", "data: { classes: [5, 6], validation_per_class: 0 }")).Errors).Message);
    }

    [Fact]
    public void FewShotValidationCanBeSweptAndTakesThePlaceOfTheDefaultFraction()
    {
        var runs = Experiment.Parse(Valid.Replace("tau2: [1, 2, 4]", "validation_per_class: [5, 10]")).Expand();
        Assert.Equal("lambda=1_validation_per_class=10_seed=1", runs[^1].Id);
        Assert.Equal((10, 0.0), (runs[^1].Config.Data.ValidationPerClass, runs[^1].Config.Data.ValidationFraction));
    }

    [Fact]
    public void TheStudentsArchitectureCanBeSweptAndNamesTheRuns()
    {
        var runs = Experiment.Parse(Valid.Replace("tau2: [1, 2, 4]", "student: [WRN-16-2, wrn-40-1]")).Expand();
        Assert.Equal(8, runs.Count);
        Assert.Equal("lambda=0.1_student=wrn-16-2_seed=0", runs[0].Id);
        Assert.Equal(("wrn-16-2", "wrn-40-1"), (runs[0].Config.StudentArchitecture, runs[^1].Config.StudentArchitecture));
        Assert.Equal("wrn-40-1", Experiment.Parse(ExperimentYaml.Write(runs[^1].Config)).Base.StudentArchitecture);
        Assert.Contains("'sweep.student': ", Assert.Single(Invalid(Valid.Replace("tau2: [1, 2, 4]", "student: [wrn-16-2, wrn-17-2]")).Errors).Message);
        Assert.Contains("lists an architecture twice", Assert.Single(Invalid(Valid.Replace("tau2: [1, 2, 4]", "student: [wrn-16-2, WRN-16-2]")).Errors).Message);
    }

    [Fact]
    public void MilestoneListsCanBeSweptWithThePlainKeysChecks()
    {
        var runs = Experiment.Parse(Valid.Replace("tau2: [1, 2, 4]", "stage2.milestones: [[1], [1, 2]]")).Expand();
        Assert.Equal(8, runs.Count);
        Assert.Equal("lambda=0.1_stage2.milestones=1-2_seed=1", runs[3].Id);
        Assert.Equal([1, 2], runs[3].Config.Stage2!.Milestones);
        Assert.Equal([1], runs[0].Config.Stage2!.Milestones);
        Assert.Equal("1-2", runs[3].Labels["stage2.milestones"]);
        Assert.Equal([1, 2], Experiment.Parse(ExperimentYaml.Write(runs[3].Config)).Base.Stage2!.Milestones);
        Assert.Contains("'sweep.stage2.milestones' must be between 1 and", Assert.Single(Invalid(Valid.Replace("tau2: [1, 2, 4]", "stage2.milestones: [[1], [0]]")).Errors).Message);
        Assert.Contains("lists a value twice", Assert.Single(Invalid(Valid.Replace("tau2: [1, 2, 4]", "stage2.milestones: [[1, 2], [1, 2]]")).Errors).Message);
    }

    [Fact]
    public void RunsListTheirSweepValuesAsTheFileWritesThemNotAsAxisIndices()
    {
        using var dir = new Data.TempFolder();
        var file = dir.File("students.yaml");
        File.WriteAllText(file, Valid.Replace("tau2: [1, 2, 4]", "student: [wrn-16-2, wrn-40-1]"));
        var runs = RunRecord.Find(file);
        Assert.All(runs, r => Assert.Equal(RunStatus.Pending, r.Status));
        Assert.Equal((1.0, "wrn-40-1", "0.1"), (runs[2].Values["student"], runs[2].Label("student"), runs[2].Label("lambda")));

        // run.json keeps them, so a started run lists them too; one written before labels existed falls back to numbers.
        var folder = dir.File("run");
        Directory.CreateDirectory(folder);
        var run = Experiment.Load(file).Expand()[2];
        RunFiles.WriteInfo(folder, new RunInfo("t", run.Index, run.Id, run.Values.ToDictionary(v => v.Key, v => v.Value), null, run.Labels.ToDictionary()));
        Assert.Equal("wrn-40-1", RunFiles.ReadInfo(folder)!.Labels!["student"]);
        var old = new RunRecord("t", 2, run.Id, folder, RunStatus.Pending, run.Values.ToDictionary(v => v.Key, v => v.Value), run.Config, null, []);
        Assert.Equal(("1", "0.1"), (old.Label("student"), old.Label("lambda")));
    }
}
