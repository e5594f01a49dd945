using Refilled.Engine.Data;
using Refilled.Engine.Methods;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;
using static Refilled.Engine.Tests.Training.SeededNetwork;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Training;

public class TeacherEmbeddingTableTests
{
    // 32 toy digits, 25 shifts: 800 table rows, which pay from 800 planned images on (25 epochs of 32).
    static TrainingPlan Paying(ImageDataset data) => new(25, 16, false, data.Count);

    static float MaxDifference(Tensor a, Tensor b) => (a - b).abs().max().item<float>();

    [Fact]
    public void LoaderBatchesSayWhichVariantOfWhichRecordEachImageIs()
    {
        var data = ToyDigits.Create(4, 8, seed: 40);
        using var scope = NewDisposeScope();
        foreach (var batch in new DataLoader(data, 16, shuffle: true, dropLast: false, augment: true, seed: 3))
        {
            var variants = Assert.IsType<ImageVariants>(batch.Variants);
            Assert.Same(data, variants.Dataset);
            Assert.Same(data.TrainTransform, variants.Transform);
            var images = batch.Indices.data<long>().Zip(variants.Ids.data<long>(), (i, v) => ((int)i, (int)v)).ToArray();
            var rendered = HostBatch.OfVariants(data, variants.Transform, images).ToTensors();
            Assert.True(rendered.Images.equal(batch.Images).all().item<bool>());
        }
    }

    [Theory]
    [InlineData(Precision.Float32)]
    [InlineData(Precision.BFloat16)]
    public void ARowIsTheTeachersEmbeddingOfThatVariant(Precision precision)
    {
        if (precision == Precision.BFloat16 && !BFloat16Support.IsSupported) return;   // refused there: AutocastTests
        var data = ToyDigits.Create(4, 8, seed: 41);
        using var teacher = SmallCnn(3, 5);
        using var frozen = FrozenNetwork.Of(teacher, precision);
        var table = TeacherEmbeddingTable.Lease(teacher, frozen, data, Paying(data), DeviceSpec.Cpu);
        Assert.NotNull(table);
        using var scope = NewDisposeScope();
        foreach (var batch in new DataLoader(data, 16, shuffle: true, dropLast: false, augment: true, seed: 4, epoch: 2))
        {
            var looked = table.Lookup(batch);
            Assert.NotNull(looked);
            Assert.True(MaxDifference(looked, frozen.Embed(batch.Images)) <= 1e-5f);
        }
        table.Return();
    }

    [Fact]
    public void BatchesOfOtherDataOrAnotherTransformAreNotLookedUp()
    {
        var data = ToyDigits.Create(4, 8, seed: 42);
        var other = ToyDigits.Create(4, 8, seed: 43);
        using var teacher = SmallCnn(3, 6);
        using var frozen = FrozenNetwork.Of(teacher);
        var table = TeacherEmbeddingTable.Lease(teacher, frozen, data, Paying(data), DeviceSpec.Cpu)!;
        using var scope = NewDisposeScope();
        var records = Enumerable.Range(0, 16).ToArray();
        Assert.NotNull(table.Lookup(data.GetBatch(records, augment: true, seed: 1)));
        Assert.Null(table.Lookup(data.GetBatch(records, augment: false, seed: 1)));
        Assert.Null(table.Lookup(other.GetBatch(records, augment: true, seed: 1)));
        var batch = data.GetBatch(records, augment: true, seed: 1);
        Assert.Null(table.Lookup(batch with { Variants = null }));
        table.Return();
    }

    [Fact]
    public void ATableIsOnlyMadeWhereItPaysAndFits()
    {
        var data = ToyDigits.Create(4, 8, seed: 44);
        Assert.True(TeacherEmbeddingTable.Pays(data, new TrainingPlan(25, 16, false, data.Count), 128));
        // 24 epochs of 32 images are fewer than the 800 rows; so are 25 of one drop-last batch of 24.
        Assert.False(TeacherEmbeddingTable.Pays(data, new TrainingPlan(24, 16, false, data.Count), 128));
        Assert.False(TeacherEmbeddingTable.Pays(data, new TrainingPlan(25, 24, true, data.Count), 128));
        Assert.True(TeacherEmbeddingTable.Pays(data, new TrainingPlan(25, 24, false, data.Count), 128));
        Assert.False(TeacherEmbeddingTable.Pays(data, new TrainingPlan(1_000_000, 16, false, data.Count),
            (int)(TeacherEmbeddingTable.MaxBytes / sizeof(float) / (data.Count * 25)) + 1));
        var (photoTrain, photoTest) = DatasetCatalog.Transforms(DatasetName.Cub200);
        var photos = new ImageDataset("photos", DatasetSplit.Train, [new StoredImage(new byte[3 * 256 * 256], 3, 256, 256)], [0], [0],
            [0], null, photoTrain, photoTest);
        Assert.False(TeacherEmbeddingTable.Pays(photos, new TrainingPlan(1000, 2, false, 1), 128));
        using var teacher = SmallCnn(3, 7);
        using var frozen = FrozenNetwork.Of(teacher);
        Assert.Null(TeacherEmbeddingTable.Lease(teacher, frozen, data, new TrainingPlan(2, 16, false, data.Count), DeviceSpec.Cpu));
    }

    [Fact]
    public void TheNextStageReusesTheTableUntilTheTeachersWeightsChange()
    {
        var data = ToyDigits.Create(4, 8, seed: 45);
        using var teacher = SmallCnn(3, 8);
        using var frozen = FrozenNetwork.Of(teacher);
        var first = TeacherEmbeddingTable.Lease(teacher, frozen, data, Paying(data), DeviceSpec.Cpu)!;
        first.Return();
        var again = TeacherEmbeddingTable.Lease(teacher, frozen, data, Paying(data), DeviceSpec.Cpu)!;
        Assert.Same(first, again);
        again.Return();
        using (no_grad()) teacher.parameters().First().add_(0.5);
        using var changed = FrozenNetwork.Of(teacher);
        var fresh = TeacherEmbeddingTable.Lease(teacher, changed, data, Paying(data), DeviceSpec.Cpu)!;
        Assert.NotSame(first, fresh);
        using var scope = NewDisposeScope();
        var batch = data.GetBatch(Enumerable.Range(0, 16).ToArray(), augment: true, seed: 2);
        Assert.True(MaxDifference(fresh.Lookup(batch)!, changed.Embed(batch.Images)) <= 1e-5f);
        // The replaced table had no holder left: its rows are gone.
        Assert.ThrowsAny<Exception>(() => first.Lookup(batch));
        fresh.Return();
    }

    /// <summary>Training through the table takes the steps training through the teacher's forward takes.</summary>
    [Theory]
    [InlineData("stage1")]
    [InlineData("stage2")]
    public void AStageTrainsThroughTheTableAsThroughTheTeacher(string stage)
    {
        var data = ToyDigits.Create(4, 8, seed: 46);
        using var teacher = SmallCnn(3, 9);
        var weights = new List<Tensor>();
        using var scope = NewDisposeScope();
        foreach (var throughTable in new[] { true, false })
        {
            using var student = SmallCnn(4, 10);
            ITrainingObjective objective = stage == "stage1"
                ? new Stage1Objective(teacher, new SemiHardTripletMiner(), new Stage1TripletLoss())
                : new Stage2Objective(teacher, new Stage2Loss(2, 1), CentreSource.Local, 16);
            var options = TrainerTests.Options(stage == "stage1" ? TrainingStage.Stage1 : TrainingStage.Stage2, 25, seed: 1);
            new Trainer(options, throughTable ? objective : new WithoutTable(objective)).Run(student, data, null, CancellationToken.None);
            weights.Add(cat(student.parameters().Select(p => p.detach().flatten()).ToList()));
        }
        Assert.True(MaxDifference(weights[0], weights[1]) <= 1e-4f, $"max weight difference {MaxDifference(weights[0], weights[1])}");
    }

    /// <summary>Steps the objective with the batch's images and labels only, so that its teacher runs a forward every step.</summary>
    sealed class WithoutTable(ITrainingObjective inner) : ITrainingObjective
    {
        public IEnumerable<TorchSharp.Modules.Parameter> Parameters(RefilledNetwork student) => inner.Parameters(student);
        public void Prepare(RefilledNetwork student, ImageDataset train, TrainingPlan plan) => inner.Prepare(student, train, plan);
        public void Release() => inner.Release();
        public ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels) => inner.Step(student, images, labels);
        public string ValidationMetricName => inner.ValidationMetricName;
        public double Validate(RefilledNetwork student, ImageDataset validation, int batchSize) => inner.Validate(student, validation, batchSize);
    }
}
