using Refilled.Engine.Evaluation;
using Refilled.Engine.Experiments;
using Refilled.Engine.Methods;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Training;

public class BaselineRecipeTests
{
    static LabelledNetwork Network(NetworkSpec spec, int[] classes, int seed)
    {
        manual_seed(seed);
        return new LabelledNetwork(spec.Create(classes.Length), classes);
    }

    [Fact]
    public void EveryMethodHasARecipeWithThePublishedDefaults()
    {
        foreach (var method in Enum.GetValues<BaselineMethod>()) Assert.Equal(method, BaselineRecipe.For(method).Method);
        Assert.Equal(1000, new AttentionTransferRecipe().Beta);
        Assert.Equal((25.0, 50.0), (new RkdRecipe().DistanceWeight, new RkdRecipe().AngleWeight));
        var crd = new CrdRecipe();
        Assert.Equal((0.8, 16384, 128, 0.07, 0.5), (crd.CrdWeight, crd.Negatives, crd.ProjectionSize, crd.NceTemperature, crd.MemoryMomentum));
    }

    [Fact]
    public void TeacherNcmTrainsNothingAndItsStudentsClassifierIsTheTeachersNearestClassMean()
    {
        var train = ToyDigits.Create(3, 6, seed: 1);
        var test = ToyDigits.Create(3, 9, seed: 2);
        var teacher = Network(NetworkSpec.SmallCnn, [0, 1, 2, 3], 1);
        var requested = Network(NetworkSpec.Parse("smallcnn-16"), [0, 1, 2], 2);
        var recipe = new TeacherNcmRecipe { BatchSize = 5 };

        var student = recipe.StudentFrom(teacher, requested, train)!;

        Assert.Empty(recipe.Phases());
        Assert.Equal(NetworkSpec.SmallCnn, student.Network.Spec);
        using var ncm = TeacherNcm.Fit(teacher.Network, train, 5);
        Assert.Equal(ncm.Accuracy(test, 7), ModelEvaluator.Measure(student.Network, test, true).Accuracy!.Value, 12);
        Assert.Equal("TeacherRequired", Assert.Throws<StageRuleException>(() => recipe.StudentFrom(null, requested, train)).ErrorId);
        foreach (var n in new[] { teacher, requested, student }) n.Network.Dispose();
    }

    [Fact]
    public void FineTuneTrainsTheTeachersArchitectureWithItsBackboneAndANewClassifier()
    {
        var train = ToyDigits.Create(2, 4, seed: 1);
        var teacher = Network(NetworkSpec.SmallCnn, [0, 1, 2], 1);
        var requested = Network(NetworkSpec.Parse("smallcnn-16"), [0, 1], 2);

        var student = new FineTuneRecipe().StudentFrom(teacher, requested, train)!;

        Assert.Equal((NetworkSpec.SmallCnn, 2), (student.Network.Spec, student.Network.NumClasses));
        Assert.True(student.Network.state_dict()["conv1.weight"].eq(teacher.Network.state_dict()["conv1.weight"]).all().item<bool>());
        foreach (var n in new[] { teacher, requested, student }) n.Network.Dispose();
    }

    [Fact]
    public void TwoStageFitNetSplitsItsEpochsIntoAHintPhaseThenClassification()
    {
        var phases = new FitNetTwoStageRecipe { Epochs = 120, Milestones = [50] }.Phases();

        Assert.Equal([TrainingStage.FitNetHint, TrainingStage.FitNetTwoStage], phases.Select(p => p.Stage));
        Assert.Equal([30, 90], phases.Select(p => p.Epochs));
        Assert.Equal(50, ((FitNetTwoStageRecipe)phases[1]).Milestones!.Single());
        Assert.Equal("TooFewEpochs", Assert.Throws<StageRuleException>(() => new FitNetTwoStageRecipe { Epochs = 1 }.Phases()).ErrorId);
    }

    [Fact]
    public void FitNetIsRepDistillersOneStageWithHintWeight100()
    {
        var fitnet = new FitNetRecipe();
        Assert.Equal([TrainingStage.FitNet], fitnet.Phases().Select(p => p.Stage));
        Assert.Equal(100, fitnet.HintWeight);
    }

    [Fact]
    public void TheRepDistillerPresetSetsItsBudgetAndKeysBesideItOverrideIt()
    {
        var preset = SchedulePresets.Apply(new CrdRecipe { CrdWeight = 0.5 }, SchedulePreset.RepDistiller);
        Assert.Equal((240, 0.05, 64, 0.9, 5e-4, false, 0.1), (preset.Epochs, preset.LearningRate, preset.BatchSize, preset.Momentum, preset.WeightDecay, preset.Nesterov, preset.Gamma));
        Assert.Equal([150, 180, 210], preset.Milestones!);
        Assert.Equal(0.5, preset.CrdWeight);
        var schedule = preset.Schedule();
        Assert.Equal([0.05, 0.05, 0.005, 0.005, 0.0005, 0.0005, 0.00005], new[] { 0, 149, 150, 179, 180, 209, 210 }.Select(e => Math.Round(schedule.At(e), 10)));
        Assert.Equal(new FitNetRecipe(), SchedulePresets.Apply(SchedulePresets.Apply(new FitNetRecipe(), SchedulePreset.RepDistiller), SchedulePreset.Refilled));

        var config = Experiment.Parse("""
            name: p
            data: { classes: [5, 6] }
            teacher: { file: teacher.refilled }
            student: { architecture: smallcnn-16 }
            stages:
              baseline: { method: attentiontransfer, schedule: repdistiller, epochs: 3, beta_convention: halfbeta }
            """).Base;
        var at = Assert.IsType<AttentionTransferRecipe>(config.Baseline);
        Assert.Equal((3, 0.05, 64, false), (at.Epochs, at.LearningRate, at.BatchSize, at.Nesterov));
        Assert.Equal(BetaConvention.HalfBeta, at.BetaConvention);
    }

    [Fact]
    public void GroupMethodsRefuseAStudentWhoseGroupsDoNotMatchTheTeachers()
    {
        var data = ToyDigits.Create(2, 4, seed: 1);
        var teacher = Network(NetworkSpec.SmallCnn, [0, 1], 1);
        var student = new LabelledNetwork(NetworkSpec.Parse("smallcnn-16").Create(2, 32), [0, 1]);
        foreach (BaselineRecipe recipe in new BaselineRecipe[] { new AttentionTransferRecipe(), new FitNetTwoStageRecipe() })
            Assert.Equal("GroupSizeMismatch", Assert.Throws<StageRuleException>(() => recipe.Validate(teacher, student, data)).ErrorId);
        new RkdRecipe().Validate(teacher, student, data);
        teacher.Network.Dispose();
        student.Network.Dispose();
    }

    const string Compare = """
        name: c
        data: { classes: [5, 6] }
        teacher: { file: teacher.refilled }
        student: { architecture: smallcnn-16 }
        stages:
          stage1: { epochs: 3 }
          stage2: { epochs: 3 }
          baseline: { method: scratch, epochs: 6, lr: 0.05 }
        seeds: [0, 1]
        sweep:
          method: [refilled, rkd, fitnet]
        """;

    [Fact]
    public void AMethodSweepRunsRefilledOrOneBaselineWithTheBaselineSectionsBudget()
    {
        var runs = Experiment.Parse(Compare).Expand();

        Assert.Equal(["method=refilled_seed=0", "method=refilled_seed=1", "method=rkd_seed=0", "method=rkd_seed=1", "method=fitnet_seed=0", "method=fitnet_seed=1"],
            runs.Select(r => r.Id));
        Assert.Equal([TrainingMethod.Refilled, TrainingMethod.Refilled, TrainingMethod.Rkd, TrainingMethod.Rkd, TrainingMethod.FitNet, TrainingMethod.FitNet], runs.Select(r => r.Config.Method));
        Assert.Null(runs[0].Config.Baseline);
        Assert.Equal(3, runs[0].Config.Stage2!.Epochs);
        var rkd = Assert.IsType<RkdRecipe>(runs[2].Config.Baseline);
        Assert.Equal((6, 0.05, 25.0), (rkd.Epochs, rkd.LearningRate, rkd.DistanceWeight));
        Assert.Null(runs[2].Config.Stage1);
        // A run's config.yaml reads back as that run.
        Assert.Equal(runs[4].Config.Baseline, Experiment.Parse(ExperimentYaml.Write(runs[4].Config)).Base.Baseline);
        Assert.Equal("rkd", Experiment.AxisLabel("method", runs[2].Values[0].Value));
    }

    [Fact]
    public void AMethodSweepNamesAnUnknownMethodAndAMissingSection()
    {
        var unknown = Assert.Throws<ExperimentValidationException>(() => Experiment.Parse(Compare.Replace("fitnet]", "fitnets]")));
        Assert.Contains("'sweep.method' has 'fitnets'", unknown.Message);
        var noBaseline = Assert.Throws<ExperimentValidationException>(() =>
            Experiment.Parse(Compare.Replace("  baseline: { method: scratch, epochs: 6, lr: 0.05 }\n", "")));
        Assert.Contains("no baseline section", noBaseline.Message);
        Assert.Throws<ExperimentValidationException>(() => Experiment.Parse(Compare.Replace("sweep:\n  method: [refilled, rkd, fitnet]", "")));
    }
}
