using Refilled.Engine.Methods;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Training;

public class TrainingRunTests
{
    static LabelledNetwork SmallCnn(int classes, int seed)
    {
        manual_seed(seed);
        return new LabelledNetwork(NetworkSpec.SmallCnnOfWidth(8).Create(classes), [.. Enumerable.Range(0, classes)]);
    }

    static readonly TrainingOptions Settings = new() { Seed = 3, Threads = 2 };

    /// <summary>Two-stage FitNet: a hint phase of 1 epoch, then 3 epochs of classification.</summary>
    static TrainingRun TwoPhaseRun() => new(new FitNetTwoStageRecipe { Epochs = 4, BatchSize = 16, LearningRate = 0.05, HintFraction = 0.25 }, Settings);

    [Theory]
    [InlineData(1, 0)]      // stopped as the hint phase ends: the classification phase starts afresh
    [InlineData(3, 0)]      // stopped inside the classification phase, the finished hint phase resumed from its state
    [InlineData(3, 3600)]   // states saved only after each phase's first epoch: the classification phase resumes after its first
    public void ARunStoppedAfterAnEpochAndRunAgainOnItsStatesEndsBitIdenticalToAnUninterruptedOne(int stopAfter, int stateIntervalSeconds)
    {
        var data = ToyDigits.Create(4, 12, seed: 6);
        var validation = ToyDigits.Create(4, 4, seed: 7);
        var teacher = SmallCnn(4, 5);
        var straightFolder = Directory.CreateTempSubdirectory("refilled-run-").FullName;
        var stoppedFolder = Directory.CreateTempSubdirectory("refilled-run-").FullName;
        try
        {
            var straight = SmallCnn(4, 9);
            var straightResults = TwoPhaseRun().Train(teacher, straight, data, validation, CancellationToken.None, new FolderHost(straightFolder));

            using var stop = new CancellationTokenSource();
            var stopped = SmallCnn(4, 9);
            var stoppedResults = TwoPhaseRun().Train(teacher, stopped, data, validation, stop.Token, new FolderHost(stoppedFolder, stop, stopAfter) { StateInterval = TimeSpan.FromSeconds(stateIntervalSeconds) });
            Assert.True(stoppedResults[^1].Cancelled);
            Assert.Equal(stopAfter, stoppedResults.Sum(r => r.History.Count));

            // Another process would start with another generator state and a network of other weights.
            manual_seed(12345);
            rand(10).Dispose();
            var resumed = SmallCnn(4, 1);
            var resumedHost = new FolderHost(stoppedFolder);
            var resumedResults = TwoPhaseRun().Train(teacher, resumed, data, validation, CancellationToken.None, resumedHost);

            Assert.Equal([TrainingStage.FitNetHint, TrainingStage.FitNetTwoStage], resumedResults.Select(r => r.Phases.Stage));
            Assert.Equal(stopAfter == 1 ? [1] : stateIntervalSeconds == 0 ? [1, 2] : [1, 1], resumedHost.ResumedAfter);
            Assert.Equal(straightResults.SelectMany(r => r.History).Select(h => (h.Stage, h.Epoch, h.Loss, h.ValidationMetric)),
                resumedResults.SelectMany(r => r.History).Select(h => (h.Stage, h.Epoch, h.Loss, h.ValidationMetric)));
            Assert.Equal(straightResults.Select(r => r.BestEpoch), resumedResults.Select(r => r.BestEpoch));
            Assert.Equal(Flat(straight.Network), Flat(resumed.Network));
        }
        finally
        {
            Directory.Delete(straightFolder, true);
            Directory.Delete(stoppedFolder, true);
        }
    }

    [Fact]
    public void APrecisionThisCpuLacksIsRefusedWhenTheRunIsCreated()
    {
        var native = BFloat16Support.IsSupported;
        try
        {
            BFloat16Support.IsSupported = false;
            var error = Assert.Throws<PrecisionNotSupportedException>(() => new TrainingRun(new ScratchRecipe(), Settings with { Precision = Precision.BFloat16 }));
            Assert.Equal(Precision.BFloat16, error.Precision);
            Assert.NotNull(new TrainingRun(new ScratchRecipe(), Settings));
        }
        finally
        {
            BFloat16Support.IsSupported = native;
        }
    }

    [Fact]
    public void TheStudentIsTheRequestedOneOrTheTeachersBackboneWithAClassifierDrawnFromTheRunsSeed()
    {
        var data = ToyDigits.Create(2, 4, seed: 1);
        var teacher = SmallCnn(2, 5);
        var requested = SmallCnn(2, 9);
        Assert.Same(requested, new TrainingRun(new ScratchRecipe(), Settings).Student(teacher, requested, data));
        Assert.Same(requested, new TrainingRun(new Stage1Recipe(), Settings).Student(teacher, requested, data));

        var fineTune = new TrainingRun(new FineTuneRecipe(), Settings);
        rand(7).Dispose();
        var first = fineTune.Student(teacher, requested, data);
        rand(3).Dispose();
        var second = fineTune.Student(teacher, requested, data);
        Assert.NotSame(requested, first);
        Assert.Equal(Flat(first.Network), Flat(second.Network));
    }

    static float[] Flat(RefilledNetwork net) => net.state_dict().Values
        .Where(t => t.dtype == ScalarType.Float32).SelectMany(t => t.detach().data<float>().ToArray()).ToArray();

    /// <summary>Keeps each phase's state in a folder; with a token, cancels it after <c>stopAfter</c> epochs of the whole run.</summary>
    sealed class FolderHost(string folder, CancellationTokenSource? stop = null, int stopAfter = 0) : ITrainingRunHost, ITrainingObserver
    {
        int epochs;

        /// <summary>The epoch each resumed phase continued after.</summary>
        public List<int> ResumedAfter { get; } = [];

        public string? StatePath(TrainingStage phase) => Path.Combine(folder, $"{phase}.state");

        public TimeSpan StateInterval { get; init; }

        public TrainingPhaseOutput PhaseStarted(StageRecipe phase, TrainingOptions options, TrainingState? resumed)
        {
            if (resumed != null) ResumedAfter.Add(resumed.CompletedEpochs);
            return new TrainingPhaseOutput(this);
        }

        public void PhaseEnded(StageRecipe phase, TrainingResult? result)
        {
        }

        public void OnBatch(BatchProgress progress)
        {
        }

        public void OnEpoch(EpochMetrics metrics)
        {
            if (++epochs == stopAfter) stop?.Cancel();
        }
    }
}
