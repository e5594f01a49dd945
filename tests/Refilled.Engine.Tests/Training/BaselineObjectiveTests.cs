using Refilled.Engine.Data;
using Refilled.Engine.Distillation;
using Refilled.Engine.Methods;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Training;

/// <summary>A few epochs of each comparison baseline on the toy digits, with a teacher from another task (3 classes).</summary>
public class BaselineObjectiveTests
{
    static RefilledNetwork Network(string spec, int classes, int seed)
    {
        manual_seed(seed);
        return NetworkSpec.Parse(spec).Create(classes);
    }

    static TrainingOptions Options(TrainingStage stage, int epochs) => new()
    {
        Stage = stage,
        Epochs = epochs,
        BatchSize = 16,
        LearningRate = 0.05,
        Seed = 0,
        Threads = 2,
    };

    public static TheoryData<string> Distillers => new(["RKD", "AttentionTransfer", "CRD", "FitNet"]);

    static ITrainingObjective Distiller(string name, RefilledNetwork teacher) => name switch
    {
        "RKD" => new RkdObjective(teacher, new RkdLoss()),
        "AttentionTransfer" => new AttentionTransferObjective(teacher, new AttentionTransferLoss()),
        "CRD" => new CrdObjective(teacher),
        "FitNet" => new FitNetObjective(teacher),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory, MemberData(nameof(Distillers))]
    public void TheStudentLearnsItsClassesAndTheTeacherStaysUntouched(string name)
    {
        var data = ToyDigits.Create(4, 16, seed: 21);
        using var teacher = Network("smallcnn", 3, 1);
        using var student = Network("smallcnn-16", 4, 2);
        var teacherBefore = Weights(teacher);
        var objective = Distiller(name, teacher);
        var result = new Trainer(Options(TrainingStages.Parse(name)!.Value, 6), objective).Run(student, data, data, CancellationToken.None);
        Assert.All(result.History, h => Assert.True(double.IsFinite(h.Loss)));
        // CRD's contrastive term is measured against a memory bank that moves with the embeddings, so its total need not
        // fall within six epochs (seen: 10.39 -> 10.85); FeatureLossPropertyTests shows it falling on a separable problem.
        if (name != "CRD")
            Assert.True(result.History[^1].Loss < result.History[0].Loss, $"loss {result.History[0].Loss} -> {result.History[^1].Loss}");
        Assert.True(result.History[^1].TrainAccuracy > 0.5, $"training accuracy {result.History[^1].TrainAccuracy} (chance 0.25)");
        Assert.Equal(teacherBefore, Weights(teacher));
    }

    /// <summary>FitNet's ConvReg and CRD's heads: modules of the objective that the optimiser trains with the student.</summary>
    [Theory]
    [InlineData("FitNet")]
    [InlineData("CRD")]
    public void TheObjectivesOwnModuleTrainsWithTheStudent(string name)
    {
        var data = ToyDigits.Create(4, 16, seed: 22);
        using var teacher = Network("smallcnn", 3, 3);
        using var student = Network("smallcnn-16", 4, 4);
        var objective = Distiller(name, teacher);
        new Trainer(Options(TrainingStages.Parse(name)!.Value, 1), objective).Run(student, data, null, CancellationToken.None);
        TorchSharp.torch.nn.Module own = objective switch
        {
            FitNetObjective fitnet => fitnet.Hint,
            CrdObjective crd => crd.Loss,
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
        Assert.Equal(student.parameters().Count() + own.parameters().Count(), objective.Parameters(student).Count());
        Assert.All(own.parameters(), p => Assert.True(p.grad is { } g && g.abs().sum().item<float>() > 0));
        if (objective is FitNetObjective f)
        {
            Assert.Equal(FitNetHintRegressor.ConvBatchNormRelu, f.Hint.Kind);
            Assert.True(f.Hint.training, "ConvReg's BatchNorm trains in training mode, as RepDistiller's module_list.train()");
        }
        else
            Assert.Equal(CrdRecipe.DefaultNegatives, ((CrdObjective)objective).Loss.Negatives);
    }

    [Fact]
    public void AttentionTransferRejectsNetworksWhoseGroupsDoNotPair()
    {
        var data = ToyDigits.Create(2, 4, seed: 23);
        using var teacher = NetworkSpec.Parse("mobilenet-0.25").Create(3, 28);
        using var student = Network("smallcnn-16", 2, 5);
        var e = Assert.Throws<ArgumentException>(() => new AttentionTransferObjective(teacher, new AttentionTransferLoss()).Prepare(student, data, new TrainingPlan(1, 8, false, data.Count)));
        Assert.Contains("same spatial sizes", e.Message);
    }

    [Fact]
    public void FitNetHintsTheLayersUpToTheGuidedGroupThenClassifies()
    {
        var data = ToyDigits.Create(4, 16, seed: 24);
        using var teacher = Network("smallcnn", 3, 6);
        using var student = Network("smallcnn-16", 4, 7);
        var before = student.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());
        var hint = new FitNetHintObjective(teacher);
        var phase1 = new Trainer(Options(TrainingStage.FitNetHint, 5), hint).Run(student, data, data, CancellationToken.None);
        Assert.Equal("negative_hint_loss", phase1.History[0].ValidationMetricName);
        Assert.True(phase1.History[^1].Loss < phase1.History[0].Loss, $"hint loss {phase1.History[0].Loss} -> {phase1.History[^1].Loss}");
        Assert.True(phase1.BestValidationMetric < 0);
        // The guided group is the middle one (conv2): conv1 and conv2 learn, conv3 and the classifier get no gradient.
        var after = student.state_dict();
        Assert.False(before["conv1.weight"].allclose(after["conv1.weight"]));
        Assert.False(before["conv2.weight"].allclose(after["conv2.weight"]));
        Assert.True(before["conv3.weight"].allclose(after["conv3.weight"], 0, 0));
        Assert.True(before["fc.weight"].allclose(after["fc.weight"], 0, 0));

        var phase2 = new Trainer(Options(TrainingStage.FitNetTwoStage, 6), new CrossEntropyObjective()).Run(student, data, data, CancellationToken.None);
        Assert.True(phase2.History[^1].TrainAccuracy > 0.5, $"training accuracy {phase2.History[^1].TrainAccuracy} (chance 0.25)");
    }

    [Fact]
    public void FineTuningStartsFromTheTeachersBackboneWithANewClassifier()
    {
        var data = ToyDigits.Create(4, 16, seed: 25);
        using var teacher = Network("smallcnn", 3, 8);
        var teacherBefore = Weights(teacher);
        using var student = FineTune.FromTeacher(teacher, 4);
        Assert.Equal(teacher.Spec, student.Spec);
        Assert.Equal(4, student.NumClasses);
        var source = teacher.state_dict();
        foreach (var (key, value) in student.state_dict().Where(p => !p.Key.StartsWith("fc.", StringComparison.Ordinal)))
            Assert.True(value.eq(source[key]).all().item<bool>(), key);
        Assert.Equal([4, 128], student.state_dict()["fc.weight"].shape);

        var result = new Trainer(Options(TrainingStage.FineTune, 6), new CrossEntropyObjective()).Run(student, data, data, CancellationToken.None);
        Assert.True(result.History[^1].TrainAccuracy > 0.5, $"training accuracy {result.History[^1].TrainAccuracy} (chance 0.25)");
        Assert.Equal(teacherBefore, Weights(teacher));
    }

    [Fact]
    public void TeacherNcmClassifiesWithClassMeansOfTheTrainingData()
    {
        using var teacher = Network("smallcnn", 4, 9);
        new Trainer(Options(TrainingStage.Pretraining, 4), new CrossEntropyObjective()).Run(teacher, ToyDigits.Create(4, 16, seed: 26), null, CancellationToken.None);
        using var ncm = TeacherNcm.Fit(teacher, ToyDigits.Create(4, 8, seed: 27), 32);
        Assert.Equal([4, 128], ncm.Centres.shape);
        var accuracy = ncm.Accuracy(ToyDigits.Create(4, 8, seed: 28, DatasetSplit.Test), 32);
        Assert.True(accuracy > 0.9, $"accuracy {accuracy}");
        Assert.Throws<ArgumentException>(() => ncm.Accuracy(ToyDigits.Create(3, 4, seed: 29), 32));
    }

    static float[] Weights(RefilledNetwork network) =>
        network.state_dict().Values.Where(t => t.is_floating_point()).SelectMany(t => t.detach().data<float>().ToArray()).ToArray();
}
