using Refilled.Engine.Data;
using Refilled.Engine.Methods;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;
using TorchSharp;
using static Refilled.Engine.Tests.Training.SeededNetwork;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Training;

public class TrainerTests
{
    internal static TrainingOptions Options(TrainingStage stage, int epochs, int seed = 0) => new()
    {
        Stage = stage,
        Epochs = epochs,
        BatchSize = 16,
        LearningRate = 0.05,
        Seed = seed,
        Threads = 2,
    };

    [Theory]
    [InlineData(Precision.Float32)]
    [InlineData(Precision.BFloat16)]
    public void CrossEntropyLossGoesDownOnASeparableSet(Precision precision)
    {
        if (precision == Precision.BFloat16 && !BFloat16Support.IsSupported) return;   // refused there: AutocastTests
        var data = ToyDigits.Create(4, 16, seed: 1);
        using var net = SmallCnn(4, 1);
        var result = new Trainer(Options(TrainingStage.Scratch, 6) with { Precision = precision }, new CrossEntropyObjective()).Run(net, data, null, CancellationToken.None);
        Assert.All(net.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.Equal(6, result.History.Count);
        Assert.True(result.History[^1].Loss < 0.5 * result.History[0].Loss,
            $"loss {result.History[0].Loss} -> {result.History[^1].Loss}");
        Assert.True(result.History[^1].TrainAccuracy > 0.9);
    }

    [Fact]
    public void StageOneLossGoesDownAndOnlyTheBackboneLearns()
    {
        var data = ToyDigits.Create(4, 16, seed: 2);
        using var teacher = SmallCnn(3, 7);
        using var student = SmallCnn(4, 8);
        var classifierBefore = student.ClassifierParameters().Select(p => p.detach().clone()).ToList();
        var objective = new Stage1Objective(teacher, new SemiHardTripletMiner(), new Stage1TripletLoss());
        var result = new Trainer(Options(TrainingStage.Stage1, 5), objective).Run(student, data, data, CancellationToken.None);
        Assert.All(result.History, h => Assert.True(h.TripletsPerBatch > 0));
        Assert.Equal("ncm_transductive", result.History[0].ValidationMetricName);
        Assert.Null(result.History[0].TrainAccuracy);
        Assert.True(result.History.Min(h => h.Loss) < result.History[0].Loss);
        foreach (var (before, after) in classifierBefore.Zip(student.ClassifierParameters()))
            Assert.True(before.allclose(after.detach(), 0, 0));
    }

    [Fact]
    public void TheSameSeedGivesBitIdenticalWeights()
    {
        var data = ToyDigits.Create(4, 12, seed: 3);
        using var teacher = SmallCnn(4, 5);
        var runs = new List<float[]>();
        for (var run = 0; run < 2; run++)
        {
            using var student = SmallCnn(4, 9);
            var objective = new Stage2Objective(teacher, new Stage2Loss(2, 1), CentreSource.Global, 16);
            new Trainer(Options(TrainingStage.Stage2, 2, seed: 11), objective).Run(student, data, null, CancellationToken.None);
            runs.Add(student.parameters().SelectMany(p => p.detach().data<float>().ToArray()).ToArray());
        }
        Assert.Equal(runs[0], runs[1]);
    }

    [Fact]
    public void CancellationStopsBetweenBatchesAndRestoresTheBestWeights()
    {
        var data = ToyDigits.Create(4, 16, seed: 4);
        using var net = SmallCnn(4, 2);
        using var cancel = new CancellationTokenSource();
        var observer = new CancelAfter(cancel, epochs: 2);
        var result = new Trainer(Options(TrainingStage.Scratch, 50), new CrossEntropyObjective(), observer).Run(net, data, data, cancel.Token);
        Assert.True(result.Cancelled);
        Assert.Equal(2, result.History.Count);
        Assert.Equal(0, observer.BatchesAfterCancel);
        Assert.NotNull(result.BestEpoch);
        Assert.Contains($"after 2 of 50 epochs", result.StoppedMessage(TrainingStage.Scratch, 50));
        Assert.Contains($"weights of epoch {result.BestEpoch}, the best validated", result.StoppedMessage(TrainingStage.Scratch, 50));
        // The network holds the best epoch's weights: its validation accuracy is the best one recorded.
        var objective = new CrossEntropyObjective();
        Assert.Equal(result.BestValidationMetric!.Value, objective.Validate(net, data, 64), 6);
    }

    [Fact]
    public void ACancelledRunWithoutValidationKeepsItsCompletedEpochsAndSaysTheWeightsArePartWayThroughTheNext()
    {
        var data = ToyDigits.Create(2, 16, seed: 4);
        using var net = SmallCnn(2, 2);
        using var cancel = new CancellationTokenSource();
        var result = new Trainer(Options(TrainingStage.Scratch, 50), new CrossEntropyObjective(), new CancelAfter(cancel, epochs: 1)).Run(net, data, null, cancel.Token);
        Assert.True(result.Cancelled);
        Assert.Equal([1], result.History.Select(h => h.Epoch));
        Assert.Null(result.BestEpoch);
        Assert.Contains("part-way through epoch 2", result.StoppedMessage(TrainingStage.Scratch, 50));
    }

    [Fact]
    public void ANonFiniteLossStopsTheRunWithoutSteppingTheOptimiser()
    {
        var data = ToyDigits.Create(2, 8, seed: 5);
        using var net = SmallCnn(2, 3);
        using (no_grad())
        {
            foreach (var p in net.ClassifierParameters()) p.fill_(float.NaN);
        }
        var e = Assert.Throws<TrainingDivergedException>(() =>
            new Trainer(Options(TrainingStage.Scratch, 1), new CrossEntropyObjective()).Run(net, data, null, CancellationToken.None));
        Assert.Equal(1, e.Batch);
        Assert.Contains("lower learning rate", e.Message);
        Assert.All(net.BackboneParameters(), p => Assert.False(p.detach().isnan().any().item<bool>()));
    }

    [Fact]
    public void LiveTensorsStayFlatAcrossEpochs()
    {
        var data = ToyDigits.Create(4, 16, seed: 6);
        using var teacher = SmallCnn(4, 1);
        using var student = SmallCnn(4, 2);
        var observer = new LiveTensorCounter();
        var objective = new Stage1Objective(teacher, new SemiHardTripletMiner(), new Stage1TupleLoss());
        new Trainer(Options(TrainingStage.Stage1, 5), objective, observer).Run(student, data, data, CancellationToken.None);
        Assert.Equal(5, observer.LiveAtEpochEnd.Count);
        Assert.All(observer.LiveAtEpochEnd.Skip(2), n => Assert.Equal(observer.LiveAtEpochEnd[1], n));
    }

    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(100, 0.055)]
    [InlineData(199, 0.0100056)]
    public void CosineAnnealsToTheFloor(int epoch, double expected) =>
        Assert.Equal(expected, LearningRateSchedule.Cosine(0.1, 0.01, 200).At(epoch), 6);

    [Fact]
    public void MultiStepDropsAtEachMilestone()
    {
        var schedule = LearningRateSchedule.MultiStep(0.1, TrainingDefaults.Milestones(200), 0.2);
        Assert.Equal([100, 140, 180], TrainingDefaults.Milestones(200));
        Assert.Equal(0.1, schedule.At(99), 12);
        Assert.Equal(0.02, schedule.At(100), 12);
        Assert.Equal(0.004, schedule.At(140), 12);
        Assert.Equal(0.0008, schedule.At(199), 12);
    }

    sealed class CancelAfter(CancellationTokenSource cancel, int epochs) : ITrainingObserver
    {
        public int BatchesAfterCancel { get; private set; }

        public void OnBatch(BatchProgress progress)
        {
            if (cancel.IsCancellationRequested) BatchesAfterCancel++;
            if (progress.Epoch == epochs + 1) cancel.Cancel();
        }

        public void OnEpoch(EpochMetrics metrics)
        {
        }
    }

    sealed class LiveTensorCounter : ITrainingObserver
    {
        public List<long> LiveAtEpochEnd { get; } = new();

        public void OnBatch(BatchProgress progress)
        {
        }

        public void OnEpoch(EpochMetrics metrics) => LiveAtEpochEnd.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    sealed class StateFiles(string folder) : ITrainingStateSink
    {
        public string PathFor(int epoch) => Path.Combine(folder, $"epoch{epoch}.state");
        public void Save(RefilledNetwork network, Lazy<TrainingState> state) => TrainingStateFile.Save(PathFor(state.Value.CompletedEpochs), network, state.Value);
    }

    /// <summary>Keeps a copy of the weights at every epoch: real work for the checkpoint phase, no files.</summary>
    sealed class SnapshotCheckpoints : ICheckpointSink
    {
        public int Saves { get; private set; }

        public void Save(RefilledNetwork network, EpochMetrics metrics, bool isBest)
        {
            new WeightSnapshot(network).Dispose();
            Saves++;
        }
    }

    [Fact]
    public void ARunReportsWhereItsWallTimeWent()
    {
        var data = ToyDigits.Create(4, 12, seed: 8);
        using var teacher = SmallCnn(4, 5);
        TrainingPhases Train(ImageDataset? validation, ICheckpointSink? checkpoints)
        {
            using var student = SmallCnn(4, 9);
            var objective = new Stage2Objective(teacher, new Stage2Loss(2, 1), CentreSource.Global, 16);
            return new Trainer(Options(TrainingStage.Stage2, 2), objective, null, checkpoints).Run(student, data, validation, CancellationToken.None).Phases;
        }

        var sink = new SnapshotCheckpoints();
        var full = Train(ToyDigits.Create(4, 4, seed: 9), sink);
        Assert.Equal(2, sink.Saves);
        Assert.Equal(TrainingStage.Stage2, full.Stage);
        Assert.All(new[] { full.PrepareSeconds, full.BatchLoadSeconds, full.StepSeconds, full.ValidationSeconds, full.CheckpointSeconds },
            seconds => Assert.True(seconds > 0, full.ToString()));
        Assert.True(full.PrepareSeconds + full.BatchLoadSeconds + full.StepSeconds + full.ValidationSeconds + full.CheckpointSeconds <= full.TotalSeconds,
            full.ToString());
        Assert.InRange(full.StepShare, double.Epsilon, 1);

        // Nothing to validate or save: those phases stay at zero instead of absorbing other work.
        var bare = Train(null, null);
        Assert.Equal(0, bare.ValidationSeconds);
        Assert.Equal(0, bare.CheckpointSeconds);
        Assert.True(bare.StepSeconds > 0);
    }

    [Fact]
    public void AResumedRunEndsBitIdenticalToAnUninterruptedOne()
    {
        var data = ToyDigits.Create(4, 12, seed: 6);
        var validation = ToyDigits.Create(4, 4, seed: 7);
        using var teacher = SmallCnn(4, 5);
        var folder = Directory.CreateTempSubdirectory("refilled-resume-").FullName;
        try
        {
            Trainer NewTrainer(ITrainingStateSink? sink) => new(Options(TrainingStage.Stage2, 4, seed: 3) with
            {
                Schedule = LearningRateSchedule.MultiStep(0.05, [2], 0.5),
            }, new Stage2Objective(teacher, new Stage2Loss(2, 1), CentreSource.Global, 16), null, null, sink);

            var files = new StateFiles(folder);
            using var straight = SmallCnn(4, 9);
            var straightResult = NewTrainer(files).Run(straight, data, validation, CancellationToken.None);

            // Something else consumes the global generator between the runs, as a new process would start elsewhere.
            manual_seed(12345);
            rand(10).Dispose();
            using var resumed = SmallCnn(4, 1);
            var (state, weights) = TrainingStateFile.Load(files.PathFor(2), resumed);
            weights.RestoreInto(resumed);
            weights.Dispose();
            var resumedResult = NewTrainer(null).Run(resumed, data, validation, CancellationToken.None, state);
            state.Best?.Dispose();

            Assert.Equal(4, resumedResult.History.Count);
            Assert.Equal(straightResult.History.Select(h => h.Loss), resumedResult.History.Select(h => h.Loss));
            Assert.Equal(straightResult.BestEpoch, resumedResult.BestEpoch);
            Assert.Equal(Flat(straight), Flat(resumed));
        }
        finally
        {
            Directory.Delete(folder, true);
        }

        static float[] Flat(RefilledNetwork net) => net.state_dict().Values
            .Where(t => t.dtype == ScalarType.Float32).SelectMany(t => t.detach().data<float>().ToArray()).ToArray();
    }
}
