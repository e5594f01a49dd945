using Refilled.Engine.Distillation;
using Refilled.Engine.Methods;
using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Distillation;

public class LossPropertyTests
{
    public static TheoryData<int> Seeds => new(Enumerable.Range(0, 12).Select(i => 31 + 104729 * i));

    public static TheoryData<Stage1Variant, int> VariantsAndSeeds
    {
        get
        {
            var data = new TheoryData<Stage1Variant, int>();
            foreach (var variant in Enum.GetValues<Stage1Variant>())
            foreach (var seed in Enumerable.Range(0, 8).Select(i => 71 + 7907 * i))
                data.Add(variant, seed);
            return data;
        }
    }

    [Theory, MemberData(nameof(VariantsAndSeeds))]
    public void StageOneLossIsZeroWithZeroGradientWhenStudentEqualsTeacher(Stage1Variant variant, int seed)
    {
        var random = new RandomBatch(seed);
        using var scope = NewDisposeScope();
        var embedding = nn.functional.normalize(random.NonNegative(16, 6), 2.0, 1, 1e-12);
        var triplets = new SemiHardTripletMiner().Mine(embedding, random.Labels(16, 3));
        Assert.False(triplets.IsEmpty);

        var student = embedding.clone().requires_grad_();
        var result = Loss(variant).Compute(student, embedding.clone(), triplets);
        result.Loss.backward();

        Assert.False(result.Skipped);
        Assert.True(Math.Abs(result.Loss.item<float>()) <= 1e-7, $"loss {result.Loss.item<float>()}");
        Assert.True(student.grad!.abs().max().item<float>() <= 1e-6, $"max |grad| {student.grad!.abs().max().item<float>()}");
    }

    [Theory, MemberData(nameof(Seeds))]
    public void EveryLossIsNonNegative(int seed)
    {
        var random = new RandomBatch(seed);
        int b = random.Next(8, 33), classes = random.Next(2, 7);
        using var scope = NewDisposeScope();
        var labels = random.Labels(b, classes);
        var studentRaw = random.NonNegative(b, 8);
        var teacherRaw = random.NonNegative(b, 12);
        var student = nn.functional.normalize(studentRaw, 2.0, 1, 1e-12);
        var teacher = nn.functional.normalize(teacherRaw, 2.0, 1, 1e-12);
        var logits = random.Normal(b, classes, scale: 3);
        var triplets = new SemiHardTripletMiner().Mine(student, labels);
        var classesInBatch = ClassCentres.ClassesInBatch(labels);
        var stage2 = new Stage2Loss(2, 100);
        var global = ClassCentres.Global(random.NonNegative(3 * b, 12), random.Labels(3 * b, classes), classes).index_select(0, classesInBatch);
        var local = ClassCentres.Local(teacherRaw, labels, classesInBatch);

        var losses = new List<(string Name, Tensor Value)>
        {
            ("triplet", new Stage1TripletLoss().Compute(student, teacher, triplets).Loss),
            ("tuple", new Stage1TupleLoss().Compute(student, teacher, triplets).Loss),
        };
        foreach (var (name, centres) in new[] { ("global", global), ("local", local) })
        {
            var result = stage2.Compute(logits, labels, teacherRaw, centres, classesInBatch);
            losses.AddRange([($"stage 2 {name}", result.Loss), ($"stage 2 {name} CE", result.CrossEntropy), ($"stage 2 {name} KL", result.Kl)]);
        }
        var kd = new KnowledgeDistillationLoss(4, 0.9).Compute(logits, random.Normal(b, classes, scale: 3), labels);
        losses.AddRange([("KD", kd.Loss), ("KD CE", kd.CrossEntropy), ("KD KL", kd.Kl)]);

        foreach (var (name, value) in losses)
        {
            var v = value.item<float>();
            Assert.True(float.IsFinite(v) && v >= 0, $"{name} = {v}");
        }
    }

    [Theory, MemberData(nameof(Seeds))]
    public void StageTwoWithLambdaZeroIsTheCrossEntropy(int seed)
    {
        var random = new RandomBatch(seed);
        int b = random.Next(4, 33), classes = random.Next(2, 11);
        using var scope = NewDisposeScope();
        var labels = random.Labels(b, classes);
        var teacherRaw = random.NonNegative(b, 10);
        var logits = random.Normal(b, classes, scale: 2);
        var classesInBatch = ClassCentres.ClassesInBatch(labels);
        var result = new Stage2Loss(2, lambda: 0)
            .Compute(logits, labels, teacherRaw, ClassCentres.Local(teacherRaw, labels, classesInBatch), classesInBatch);
        Assert.True(result.Kl.item<float>() > 0);
        Assert.Equal(nn.functional.cross_entropy(logits, labels).item<float>(), result.Loss.item<float>());
        Assert.Equal(result.CrossEntropy.item<float>(), result.Loss.item<float>());
    }

    [Theory]
    [InlineData(Stage1Variant.Triplet)]
    [InlineData(Stage1Variant.Tuple)]
    public void ABatchWithoutTripletsIsSkippedWithZeroLossAndZeroGradient(Stage1Variant variant)
    {
        var random = new RandomBatch(3);
        using var scope = NewDisposeScope();
        var raw = random.NonNegative(8, 5).requires_grad_();
        var student = nn.functional.normalize(raw, 2.0, 1, 1e-12);
        var teacher = nn.functional.normalize(random.NonNegative(8, 7), 2.0, 1, 1e-12);
        var triplets = new SemiHardTripletMiner().Mine(student, arange(8L));

        var result = Loss(variant).Compute(student, teacher, triplets);
        result.Loss.backward();

        Assert.True(result.Skipped);
        Assert.Equal(0, result.TripletCount);
        Assert.Equal(0f, result.Loss.item<float>());
        Assert.True(raw.grad!.isfinite().all().item<bool>());
        Assert.Equal(0f, raw.grad!.abs().max().item<float>());
    }

    [Theory]
    [InlineData(Stage1Variant.Triplet)]
    [InlineData(Stage1Variant.Tuple)]
    public void DuplicateEmbeddingsGiveFiniteGradients(Stage1Variant variant)
    {
        var random = new RandomBatch(11);
        using var scope = NewDisposeScope();
        // Rows 0 and 1 coincide and share a label: d(a, p) = 0, where a naive norm backward divides by zero.
        var rows = random.NonNegative(12, 6);
        rows[1] = rows[0];
        var raw = rows.requires_grad_();
        var labels = tensor(new long[] { 0, 0, 1, 1, 2, 2, 0, 1, 2, 0, 1, 2 });
        var student = nn.functional.normalize(raw, 2.0, 1, 1e-12);
        var teacher = nn.functional.normalize(random.NonNegative(12, 8), 2.0, 1, 1e-12);
        var triplets = new SemiHardTripletMiner(0.5).Mine(student, labels);

        var result = Loss(variant).Compute(student, teacher, triplets);
        result.Loss.backward();

        Assert.True(triplets.Anchors.eq(0).logical_and(triplets.Positives.eq(1)).any().item<bool>());
        Assert.True(float.IsFinite(result.Loss.item<float>()));
        Assert.True(raw.grad!.isfinite().all().item<bool>());
    }

    static IStage1Loss Loss(Stage1Variant variant) => variant switch
    {
        Stage1Variant.Triplet => new Stage1TripletLoss(),
        _ => new Stage1TupleLoss(),
    };
}
