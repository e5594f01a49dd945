using Refilled.Engine.Methods;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Training;

public class RecipeTests
{
    static LabelledNetwork SmallCnn(int[] classes, int seed)
    {
        manual_seed(seed);
        return new LabelledNetwork(NetworkSpec.SmallCnn.Create(classes.Length), classes);
    }

    [Fact]
    public void EveryRecipeDefaultsToTheReleasedCode()
    {
        StageRecipe[] recipes = [new PretrainingRecipe(), new Stage1Recipe(), new Stage2Recipe(), new ScratchRecipe(), new KnowledgeDistillationRecipe()];
        foreach (var recipe in recipes)
        {
            Assert.Equal((200, 0.1, 128, 0.9, 5e-4, true, false),
                (recipe.Epochs, recipe.LearningRate, recipe.BatchSize, recipe.Momentum, recipe.WeightDecay, recipe.Nesterov, recipe.DropLast));
        }
        Assert.Equal((4.0, 0.2), (new Stage1Recipe().Tau, new Stage1Recipe().Margin));
        Assert.Equal((2.0, 100.0, 1.0, 0.2), (new Stage2Recipe().Tau, new Stage2Recipe().Lambda, new Stage2Recipe().LambdaDecay, new Stage2Recipe().Gamma));
    }

    [Fact]
    public void TheRunsPrecisionReachesEveryTeachersForwardOrIsRefusedWhereTheCpuLacksIt()
    {
        var data = ToyDigits.Create(2, 4, seed: 1);
        var teacher = SmallCnn([0, 1], 2);
        var student = SmallCnn([0, 1], 1);
        using (teacher.Network)
        using (student.Network)
        {
            var run = new TrainingOptions { Precision = Precision.BFloat16 };
            foreach (var recipe in new StageRecipe[] { new Stage1Recipe(), new Stage2Recipe(), new KnowledgeDistillationRecipe() })
            {
                if (!BFloat16Support.IsSupported)
                {
                    Assert.Throws<PrecisionNotSupportedException>(() => new TrainingRun(recipe, run));
                    continue;
                }
                var (objective, options) = recipe.Build(teacher, student, data, run);
                Assert.Equal(Precision.BFloat16, options.Precision);
                Assert.Equal(Precision.BFloat16, TeacherPrecision(objective));
                Assert.Equal(Precision.Float32, TeacherPrecision(recipe.Build(teacher, student, data, new TrainingOptions()).Objective));
            }
        }

        static Precision TeacherPrecision(ITrainingObjective objective) => objective switch
        {
            Stage1Objective o => o.TeacherPrecision,
            Stage2Objective o => o.TeacherPrecision,
            KnowledgeDistillationObjective o => o.TeacherPrecision,
            _ => throw new InvalidOperationException(objective.GetType().Name),
        };
    }

    [Fact]
    public void BuildCarriesEveryCommonHyperparameterIntoTheOptions()
    {
        var data = ToyDigits.Create(2, 4, seed: 1);
        using var student = SmallCnn([0, 1], 1).Network;
        var recipe = new ScratchRecipe { Epochs = 3, LearningRate = 0.02, BatchSize = 5, Momentum = 0.5, WeightDecay = 0.01, Nesterov = false, DropLast = true, EvaluateEvery = 2 };
        var (objective, options) = recipe.Build(null, new LabelledNetwork(student, [0, 1]), data, new TrainingOptions { Seed = 7, Threads = 1 });
        Assert.Equal(TrainingStage.Scratch, options.Stage);
        Assert.Equal((3, 0.02, 5, 0.5, 0.01, false, true, 2, 7, (int?)1),
            (options.Epochs, options.LearningRate, options.BatchSize, options.Momentum, options.WeightDecay, options.Nesterov, options.DropLast,
             options.EvaluateEvery, options.Seed, options.Threads));
        Assert.Equal(0.02 * 0.2, options.Schedule!.At(2), 12);
    }

    [Fact]
    public void KnowledgeDistillationRefusesATeacherOfOtherClasses()
    {
        var data = ToyDigits.Create(2, 4, seed: 1, firstClass: 2);
        var teacher = SmallCnn([0, 1], 1);
        var student = SmallCnn([2, 3], 2);
        var e = Assert.Throws<StageRuleException>(() => new KnowledgeDistillationRecipe().Validate(teacher, student, data));
        Assert.Equal("ClassMismatch", e.ErrorId);
        Assert.Same(teacher, e.Target);
        Assert.Equal("TeacherRequired", Assert.Throws<StageRuleException>(() => new KnowledgeDistillationRecipe().Validate(null, student, data)).ErrorId);
        new KnowledgeDistillationRecipe().Validate(SmallCnn([2, 3], 3), student, data);
        teacher.Network.Dispose();
        student.Network.Dispose();
    }

    [Fact]
    public void EveryStageRefusesDataOfOtherClassesThanTheStudentsButNotACrossTaskTeacher()
    {
        var digits0To1 = ToyDigits.Create(2, 4, seed: 1);
        var digits5To6 = ToyDigits.Create(2, 4, seed: 1, firstClass: 5);
        var teacher = SmallCnn([0, 1, 2], 1);
        var wide = SmallCnn([0, 1, 2], 2);
        var student5To6 = SmallCnn([5, 6], 3);
        foreach (StageRecipe recipe in new StageRecipe[] { new Stage1Recipe(), new Stage2Recipe(), new ScratchRecipe(), new PretrainingRecipe() })
        {
            Assert.Equal("ClassCountMismatch", Assert.Throws<StageRuleException>(() => recipe.Validate(teacher, wide, digits0To1)).ErrorId);
            var e = Assert.Throws<StageRuleException>(() => recipe.Validate(teacher, student5To6, digits0To1));
            Assert.Equal("ClassMismatch", e.ErrorId);
            Assert.Contains("5,6", e.Message);
            Assert.Contains("0,1", e.Message);
            Assert.Equal([0, 1], (int[])e.Target!);
            recipe.Validate(teacher, student5To6, digits5To6);
        }
        foreach (var n in new[] { teacher, wide, student5To6 }) n.Network.Dispose();
    }

    [Fact]
    public void ClassIdsGiveOneDistinctIdPerOutput()
    {
        using var network = NetworkSpec.SmallCnn.Create(5);
        var e = Assert.Throws<StageRuleException>(() => new LabelledNetwork(network, [.. Enumerable.Range(0, 10)]));
        Assert.Equal("ClassCountMismatch", e.ErrorId);
        Assert.True(e.IsArgument);
        Assert.Equal("DuplicateClass", Assert.Throws<StageRuleException>(() => new LabelledNetwork(network, [0, 1, 2, 3, 3])).ErrorId);
        Assert.Equal([5, 6, 7, 8, 9], new LabelledNetwork(network, [5, 6, 7, 8, 9]).Classes);
    }

    [Fact]
    public void LambdaDecayShrinksTheKlWeightEveryEpoch()
    {
        var data = ToyDigits.Create(2, 8, seed: 4);
        var teacher = SmallCnn([5, 6], 1);
        var totals = new List<double[]>();
        foreach (var decay in new[] { 1.0, 0.0 })
        {
            var student = SmallCnn([0, 1], 2);
            var recipe = new Stage2Recipe { Epochs = 2, BatchSize = 8, LearningRate = 0.01, Lambda = 10, LambdaDecay = decay };
            var (objective, options) = recipe.Build(teacher, student, data, new TrainingOptions { Threads = 2 });
            var history = new Trainer(options, objective).Run(student.Network, data, null, CancellationToken.None).History;
            // The loss is cross-entropy + λ_epoch · KL; with decay 0 the second epoch's λ is 0.
            totals.Add([.. history.Select(h => h.Loss - h.Terms![LossTerms.CrossEntropy] - 10 * h.Terms[LossTerms.Kl])]);
            Assert.True(history.All(h => h.Terms![LossTerms.Kl] > 0));
            student.Network.Dispose();
        }
        Assert.All(totals[0], d => Assert.Equal(0, d, 4));
        Assert.Equal(0, totals[1][0], 4);
        Assert.True(totals[1][1] < -1e-3, $"epoch 2 loss should leave out λ·KL, got {totals[1][1]}");
        teacher.Network.Dispose();
    }

    [Fact]
    public void TheLastPartialBatchIsKeptUnlessItHoldsOneImage()
    {
        var data = ToyDigits.Create(2, 9, seed: 5);
        var recipe = new ScratchRecipe { Epochs = 1, BatchSize = 8 };
        var student = SmallCnn([0, 1], 2);
        var (objective, options) = recipe.Build(null, student, data, new TrainingOptions { Threads = 2 });
        Assert.Equal(3, new Trainer(options, objective).Run(student.Network, data, null, CancellationToken.None).History[0].Batches);
        var (_, dropping) = (recipe with { DropLast = true }).Build(null, student, data, new TrainingOptions { Threads = 2 });
        Assert.Equal(2, new Trainer(dropping, objective).Run(student.Network, data, null, CancellationToken.None).History[0].Batches);
        var seventeen = ToyDigits.Create(1, 17, seed: 5);
        student.Network.Dispose();
        var single = SmallCnn([0], 3);
        var (ce, keep) = new ScratchRecipe { Epochs = 1, BatchSize = 8 }.Build(null, single, seventeen, new TrainingOptions { Threads = 2 });
        Assert.Equal(2, new Trainer(keep, ce).Run(single.Network, seventeen, null, CancellationToken.None).History[0].Batches);
        single.Network.Dispose();
    }
}
