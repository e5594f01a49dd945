using Refilled.Engine.Checkpoints;
using Refilled.Engine.Data;
using Refilled.Engine.Evaluation;
using Refilled.Engine.Methods;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Tests.Data;
using Refilled.Engine.Tests.Training;
using Refilled.Engine.Training;
using TorchSharp;
using static Refilled.Engine.Tests.Training.SeededNetwork;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Runtime;

/// <summary>
/// Without a GPU, libtorch's <c>meta</c> device (shapes, no values) stands in for a second device: mixing it with the
/// CPU raises. Two nets catch a tensor on the wrong device. (1) Models and data on the CPU while the default device is
/// meta: any tensor the engine creates without naming its inputs' device lands on meta and the step fails.
/// (2) A student on meta: the batch and the teacher must follow it; the run may then fail only where libtorch has
/// to read values, never on mixed devices.
/// </summary>
public sealed class DevicePlacementTests
{
    const string MixedDevices = "Expected all tensors to be on the same device";

    // The stage only names the history, which these tests do not read.
    static TrainingOptions Options(int epochs) => new() { Stage = TrainingStage.Scratch, Epochs = epochs, BatchSize = 16, LearningRate = 0.05, Seed = 1, Threads = 2 };

    static readonly string[] AllObjectives =
    [
        "Scratch", "KnowledgeDistillation", "Stage1Triplet", "Stage1Tuple", "Stage2Global", "Stage2Local",
        "FitNetHint", "FitNet", "AttentionTransfer", "Rkd", "Crd",
    ];

    public static TheoryData<string> Objectives => [.. AllObjectives];

    /// <summary>The objectives that read only embeddings: LinearNet has no convolutional groups (meta has no convolution kernel).</summary>
    public static TheoryData<string> EmbeddingObjectives => [.. AllObjectives.Except(["FitNetHint", "FitNet", "AttentionTransfer"])];

    static ITrainingObjective Objective(string name, RefilledNetwork teacher) => name switch
    {
        "Scratch" => new CrossEntropyObjective(),
        "KnowledgeDistillation" => new KnowledgeDistillationObjective(teacher, new KnowledgeDistillationLoss(4, 0.9)),
        "Stage1Triplet" => new Stage1Objective(teacher, new SemiHardTripletMiner(), new Stage1TripletLoss()),
        "Stage1Tuple" => new Stage1Objective(teacher, new SemiHardTripletMiner(), new Stage1TupleLoss()),
        "Stage2Global" => new Stage2Objective(teacher, new Stage2Loss(2, 1), CentreSource.Global, 16),
        "Stage2Local" => new Stage2Objective(teacher, new Stage2Loss(2, 1), CentreSource.Local, 16),
        "FitNetHint" => new FitNetHintObjective(teacher),
        "FitNet" => new FitNetObjective(teacher),
        "AttentionTransfer" => new AttentionTransferObjective(teacher, new AttentionTransferLoss()),
        "Rkd" => new RkdObjective(teacher, new RkdLoss()),
        "Crd" => new CrdObjective(teacher, negatives: 8),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>Runs <paramref name="work"/> with libtorch's default device set to meta, restoring the CPU after.</summary>
    static T WithMetaDefault<T>(Func<T> work)
    {
        set_default_device(META);
        try
        {
            return work();
        }
        finally
        {
            set_default_device(CPU);
        }
    }

    sealed class StateFile(string path) : ITrainingStateSink
    {
        public void Save(RefilledNetwork network, Lazy<TrainingState> state) => TrainingStateFile.Save(path, network, state.Value);
    }

    [Theory]
    [MemberData(nameof(Objectives))]
    public void EveryObjectiveTrainsValidatesAndSavesWithNoTensorOnTheDefaultDevice(string name)
    {
        var data = ToyDigits.Create(4, 8, seed: 3);
        using var folder = new TempFolder();
        using var teacher = SmallCnn(4, 5);
        using var student = SmallCnn(4, 6);
        var objective = Objective(name, teacher);
        var trainer = new Trainer(Options(1), objective, null, null, new StateFile(folder.File("run.state")));

        var result = WithMetaDefault(() => trainer.Run(student, data, data, CancellationToken.None));

        Assert.Single(result.History);
        Assert.All(result.History, h => Assert.True(double.IsFinite(h.Loss) && h.ValidationMetric is double));
        Assert.All(student.parameters(), p => Assert.Equal(DeviceType.CPU, p.device_type));
        Assert.True(File.Exists(folder.File("run.state")));
    }

    [Fact]
    public void TheEvaluatorAndTheCentreCacheCreateNothingOnTheDefaultDevice()
    {
        var data = ToyDigits.Create(3, 8, seed: 4);
        using var network = SmallCnn(3, 2);
        var (measurement, centres) = WithMetaDefault(() =>
            (ModelEvaluator.Measure(network, data, classifierMatchesData: true, batchSize: 10, reference: data),
             GlobalCentreCache.For(network, data, 10)));

        Assert.NotNull(measurement.Accuracy);
        Assert.Equal(3, measurement.PerClassAccuracy!.Count);
        Assert.InRange(measurement.NcmAccuracy!.Value, 0, 1);
        Assert.InRange(measurement.NcmTransductive, 0, 1);
        Assert.Equal(DeviceType.CPU, centres.device_type);
        Assert.Equal([3L, network.EmbeddingSize], centres.shape);
    }

    [Theory]
    [MemberData(nameof(EmbeddingObjectives))]
    public void TheBatchAndTheTeacherFollowAStudentOnAnotherDevice(string name)
    {
        var data = ToyDigits.Create(4, 12, seed: 5);
        using var teacher = new LinearNet(4);
        using var student = new LinearNet(4).MoveTo(DeviceSpec.Meta);
        var recorder = new StepDevices(Objective(name, teacher));
        var trainer = new Trainer(Options(1), recorder);

        // Meta tensors hold no values, so the step stops at the first value read (a logged scalar, or a data-dependent
        // shape in mining): by then the teacher has moved and the batch has crossed, or devices would have mixed.
        var failure = Assert.ThrowsAny<Exception>(() => trainer.Run(student, data, null, CancellationToken.None));
        Assert.DoesNotContain(MixedDevices, failure.Message);
        Assert.Contains("meta", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(DeviceSpec.Meta, student.Device);
        Assert.Equal((DeviceSpec.Meta, DeviceSpec.Meta), recorder.Inputs);
        if (name != "Scratch") Assert.Equal(DeviceSpec.Meta, teacher.Device);
    }

    /// <summary>Records the devices of the batch a trainer hands to the objective it wraps.</summary>
    sealed class StepDevices(ITrainingObjective inner) : ITrainingObjective
    {
        public (DeviceSpec Images, DeviceSpec Labels)? Inputs { get; private set; }
        public IEnumerable<TorchSharp.Modules.Parameter> Parameters(RefilledNetwork student) => inner.Parameters(student);
        public void Prepare(RefilledNetwork student, ImageDataset train, TrainingPlan plan) => inner.Prepare(student, train, plan);
        public string ValidationMetricName => inner.ValidationMetricName;
        public double Validate(RefilledNetwork student, ImageDataset validation, int batchSize) => inner.Validate(student, validation, batchSize);

        public ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels)
        {
            Inputs = (DeviceSpec.Of(images.device), DeviceSpec.Of(labels.device));
            return inner.Step(student, images, labels);
        }

        public ObjectiveStep Step(RefilledNetwork student, Batch batch)
        {
            Inputs = (DeviceSpec.Of(batch.Images.device), DeviceSpec.Of(batch.Labels.device));
            return inner.Step(student, batch);
        }
    }

    [Fact]
    public void AnEvaluationPassRunsWhollyOnTheNetworksDevice()
    {
        var data = ToyDigits.Create(3, 7, seed: 6);
        using var network = new LinearNet(3).MoveTo(DeviceSpec.Meta);
        using var pass = EvaluationPass.Run(network, data, batchSize: 8);
        Assert.All(new[] { pass.Embeddings, pass.Logits, pass.Labels }, t => Assert.Equal(DeviceType.META, t.device_type));
        Assert.Equal([21L, network.EmbeddingSize], pass.Embeddings.shape);
    }

    [Fact]
    public void TheLoaderDeliversBatchesOnItsDevice()
    {
        var data = ToyDigits.Create(2, 5, seed: 7);
        using var scope = NewDisposeScope();
        var batches = new DataLoader(data, 4, shuffle: true, dropLast: false, augment: true, seed: 1) { Device = META }.ToList();
        Assert.Equal(3, batches.Count);
        Assert.All(batches, b =>
        {
            Assert.Equal(DeviceType.META, b.Images.device_type);
            Assert.Equal(ScalarType.Float32, b.Images.dtype);
            Assert.Equal(DeviceType.META, b.Labels.device_type);
            Assert.Equal(ScalarType.Int64, b.Labels.dtype);
        });
        Assert.Equal([2L, 1, 28, 28], batches[^1].Images.shape);
    }

    [Fact]
    public void CachedCentresFollowTheirTeacherToAnotherDevice()
    {
        var data = ToyDigits.Create(3, 6, seed: 8);
        using var teacher = SmallCnn(3, 4);
        var onCpu = GlobalCentreCache.For(teacher, data, 8);
        Assert.Equal(DeviceType.CPU, onCpu.device_type);
        teacher.MoveTo(DeviceSpec.Meta);
        var moved = GlobalCentreCache.For(teacher, data, 8);
        Assert.Equal(DeviceType.META, moved.device_type);
        Assert.Equal(onCpu.shape, moved.shape);
        Assert.Same(moved, GlobalCentreCache.For(teacher, data, 8));
    }

    [Fact]
    public void ACloneStaysOnItsSourcesDevice()
    {
        using var network = SmallCnn(3, 1).MoveTo(DeviceSpec.Meta);
        using var copy = network.Clone();
        Assert.Equal(DeviceSpec.Meta, copy.Device);
        Assert.All(copy.state_dict().Values, t => Assert.Equal(DeviceType.META, t.device_type));
    }

    [Fact]
    public void ACheckpointLoadsOntoTheRequestedDevice()
    {
        using var folder = new TempFolder();
        var path = folder.File("student.refilled");
        using (var network = SmallCnn(3, 1)) ModelCheckpoint.Save(network, CheckpointMetadata.Describe(network, null), path);

        var (onMeta, _) = ModelCheckpoint.Load(path, DeviceSpec.Meta);
        using (onMeta)
        {
            Assert.Equal(DeviceSpec.Meta, onMeta.Device);
            Assert.All(onMeta.state_dict().Values, t => Assert.Equal(DeviceType.META, t.device_type));
        }
        var (onCpu, _) = ModelCheckpoint.Load(path);
        using (onCpu) Assert.Equal(DeviceSpec.Cpu, onCpu.Device);
    }

    [Fact]
    public void ATrainingStateRestoresOntoANetworkOnAnotherDevice()
    {
        var data = ToyDigits.Create(4, 8, seed: 9);
        using var folder = new TempFolder();
        var path = folder.File("run.state");
        using var trained = SmallCnn(4, 2);
        new Trainer(Options(1), new CrossEntropyObjective(), null, null, new StateFile(path))
            .Run(trained, data, null, CancellationToken.None);

        using var elsewhere = SmallCnn(4, 3).MoveTo(DeviceSpec.Meta);
        var (state, weights) = TrainingStateFile.Load(path, elsewhere);
        using (weights)
        {
            weights.RestoreInto(elsewhere);
            Assert.Equal(DeviceSpec.Meta, elsewhere.Device);
            using var back = SmallCnn(4, 3);
            weights.RestoreInto(back);
            foreach (var (key, tensor) in trained.state_dict()) Assert.True(tensor.allclose(back.state_dict()[key], 0, 0), key);
        }
        Assert.Equal(1, state.CompletedEpochs);
    }

    [Fact]
    public void CudaOnThisCpuBuildIsRefusedWithTheBuildCommandAndTheNetworkStays()
    {
        var cuda = DeviceSpec.Parse("cuda");
        var failure = Assert.Throws<DeviceUnavailableException>(cuda.EnsureAvailable);
        Assert.Contains("build.ps1 -TorchBackend cuda", failure.Message);
        Assert.Equal(cuda, failure.Device);

        using var network = SmallCnn(3, 1);
        Assert.Throws<DeviceUnavailableException>(() => network.MoveTo(DeviceSpec.Cuda(1)));
        Assert.Equal(DeviceSpec.Cpu, network.Device);
        // Checked before the file is read: no FileNotFoundException for a file that does not exist.
        Assert.Throws<DeviceUnavailableException>(() => ModelCheckpoint.Load("/nonexistent/student.refilled", cuda));
    }

    [Theory]
    [InlineData("cpu", "cpu")]
    [InlineData(" CPU ", "cpu")]
    [InlineData("cuda", "cuda:0")]
    [InlineData("cuda:0", "cuda:0")]
    [InlineData("CUDA:3", "cuda:3")]
    [InlineData("meta", "meta")]
    public void ParsesTheDevicesItNames(string text, string expected)
    {
        var device = DeviceSpec.Parse(text);
        Assert.Equal(expected, device.ToString());
        Assert.Equal(device, DeviceSpec.Parse(device.ToString()));
        // A CUDA torch.Device cannot even be made on a CPU build (TorchSharp initialises CUDA first).
        if (!device.IsCuda) Assert.Equal(device, DeviceSpec.Of(device.ToTorch()));
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:one")]
    [InlineData("cuda0")]
    [InlineData("")]
    public void RefusesAnythingElseNamingTheValidForms(string text)
    {
        var failure = Assert.Throws<ArgumentException>(() => DeviceSpec.Parse(text));
        Assert.Contains("cpu, cuda or cuda:N", failure.Message);
        Assert.DoesNotContain("(Parameter", failure.Message);
    }

    [Fact]
    public void TheAvailableDevicesOfThisBuildAreTheCpuAlone()
    {
        Assert.Equal([DeviceSpec.Cpu], DeviceSpec.Available());
        Assert.Equal(["cpu"], TorchRuntime.Describe().Devices);
    }
}
