using System.Diagnostics;
using Refilled.Engine.Data;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Selection;
using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Training;

/// <summary>
/// The one training loop every stage shares: SGD over an objective, a per-epoch learning rate, validation every
/// N epochs with the best weights kept, progress through an observer, cancellation between batches.
/// Runs on the caller's thread (dispose scopes and PowerShell's Write* calls are per thread).
/// </summary>
public sealed class Trainer(TrainingOptions options, ITrainingObjective objective, ITrainingObserver? observer = null,
    ICheckpointSink? checkpoints = null, ITrainingStateSink? states = null)
{
    static readonly TimeSpan MinimumEpochForHeapTrim = TimeSpan.FromSeconds(1);
    readonly TrainingOptions options = options;
    // Histories, progress and errors name the stage the recipe that built the options trains.
    readonly TrainingStage stage = options.Stage ?? throw new ArgumentException("The options name no stage (StageRecipe.Build sets it).", nameof(options));
    readonly ITrainingObjective objective = objective;
    readonly ITrainingObserver? observer = observer;
    readonly ICheckpointSink? checkpoints = checkpoints;
    readonly ITrainingStateSink? states = states;

    public TrainingResult Run(RefilledNetwork student, ImageDataset train, ImageDataset? validation, CancellationToken cancel) =>
        Run(student, train, validation, cancel, null);

    /// <summary>
    /// Trains, or continues a run from <paramref name="resume"/> (the network must already hold the weights saved with
    /// it). A resumed run ends bit-identical to one that never stopped: same options, seed and thread count.
    /// </summary>
    public TrainingResult Run(RefilledNetwork student, ImageDataset train, ImageDataset? validation, CancellationToken cancel,
        TrainingState? resume)
    {
        if (options.Epochs < 1) throw new ArgumentOutOfRangeException(nameof(options), "Epochs must be at least 1.");
        if (options.BatchSize < 2) throw new ArgumentOutOfRangeException(nameof(options), "BatchSize must be at least 2.");
        if (train.Count == 0) throw new ArgumentException("The training data is empty.", nameof(train));
        if (options.Threads is int threads) set_num_threads(threads);
        NativeHeap.KeepFreedPages();
        manual_seed(options.Seed);

        var totalClock = Stopwatch.StartNew();
        var plan = TrainingPlan.For(options, train.Count);
        try
        {
            objective.Prepare(student, train, plan);
            var prepareSeconds = totalClock.Elapsed.TotalSeconds;
            using var optimizer = optim.SGD(objective.Parameters(student), options.LearningRate, options.Momentum,
                0, options.WeightDecay, options.Nesterov);
            var run = new RunState(this, student, train, validation, optimizer, plan);
            if (resume != null) run.Resume(resume);
            run.TrainEpochs(cancel);
            var phases = new TrainingPhases(stage, prepareSeconds, run.Loading.TotalSeconds, run.Stepping.TotalSeconds,
                run.Validating.TotalSeconds, run.Checkpointing.TotalSeconds, totalClock.Elapsed.TotalSeconds);
            return new TrainingResult(run.History, run.BestEpoch, run.BestScore?.Metric, run.Cancelled, run.Clock.Elapsed.TotalSeconds, phases,
                run.BestScore?.CrossEntropy);
        }
        finally
        {
            // What Prepare built for this run (a table of teacher outputs) goes with it, not when the GC gets to it.
            objective.Release();
        }
    }

    /// <summary>One call of <see cref="Run(RefilledNetwork, ImageDataset, ImageDataset?, CancellationToken, TrainingState?)"/>: its epochs, best weights and clocks.</summary>
    sealed class RunState(Trainer trainer, RefilledNetwork student, ImageDataset train, ImageDataset? validation,
        TorchSharp.Modules.SGD optimizer, TrainingPlan plan)
    {
        readonly TrainingOptions options = trainer.options;
        readonly ITrainingObjective objective = trainer.objective;
        readonly TrainingStage stage = trainer.stage;
        readonly Stopwatch phaseClock = new();
        WeightSnapshot? best;

        public List<EpochMetrics> History { get; } = [];
        public ValidationScore? BestScore { get; private set; }
        public int? BestEpoch { get; private set; }
        public int StartEpoch { get; private set; }
        public bool Cancelled { get; private set; }
        public Stopwatch Clock { get; } = Stopwatch.StartNew();
        // Per-phase totals: a Stopwatch read per batch costs nanoseconds.
        public TimeSpan Loading { get; private set; }
        public TimeSpan Stepping { get; private set; }
        public TimeSpan Validating { get; private set; }
        public TimeSpan Checkpointing { get; private set; }

        /// <summary>Continues after <paramref name="resume"/>'s epochs with its history, best weights, optimiser and generator.</summary>
        public void Resume(TrainingState resume)
        {
            StartEpoch = resume.CompletedEpochs;
            History.AddRange(resume.History);
            best = resume.Best?.Copy();
            BestScore = resume.BestMetric is double resumed ? new ValidationScore(resumed, resume.BestCrossEntropy) : null;
            BestEpoch = resume.BestEpoch;
            if (resume.Optimizer != null)
            {
                using var reader = new BinaryReader(new MemoryStream(resume.Optimizer, writable: false));
                optimizer.load_state_dict(reader);
            }
            if (resume.RandomState != null)
            {
                using var rng = tensor(resume.RandomState, dtype: ScalarType.Byte, device: CPU);
                set_rng_state(rng);
            }
        }

        /// <summary>The epochs still to train, validated when due; ends with the best weights restored.</summary>
        public void TrainEpochs(CancellationToken cancel)
        {
            try
            {
                var schedule = options.Schedule ?? LearningRateSchedule.MultiStep(options.LearningRate, [], 1);
                for (var epoch = StartEpoch; epoch < options.Epochs; epoch++)
                {
                    var epochClock = Stopwatch.StartNew();
                    var learningRate = schedule.At(epoch);
                    var totals = TrainEpoch(epoch, learningRate, cancel);
                    if (totals is null) break;
                    var (score, improved) = Validate(epoch);
                    var metrics = totals.Metrics(stage, objective, epoch, options.Epochs, score, learningRate, epochClock.Elapsed.TotalSeconds);
                    History.Add(metrics);
                    // Freed batch buffers stay in glibc's per-thread arenas otherwise; a long run's RSS then drifts. A trim
                    // costs ~10 ms (and page faults after it), so epochs shorter than a second skip it: the quickstart's
                    // one-batch epochs ran 1.6x slower with a trim after each.
                    if (epochClock.Elapsed >= MinimumEpochForHeapTrim) NativeHeap.Trim();
                    trainer.observer?.OnEpoch(metrics);
                    Save(metrics, improved || validation == null);
                }
            }
            finally
            {
                RestoreBest();
            }
        }

        /// <summary>One epoch of SGD steps; null when it was cancelled or had no batch.</summary>
        public EpochTotals? TrainEpoch(int epoch, double learningRate, CancellationToken cancel)
        {
            foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
            student.train();
            objective.BeginEpoch(epoch);
            var totals = new EpochTotals();
            // Each epoch gets its own shuffling and augmentation stream, reproducible from the run's seed.
            var loader = new DataLoader(train, options.BatchSize, shuffle: true, dropLast: plan.DropLast, augment: true,
                seed: options.Seed, epoch: epoch) { Device = student.Device.ToTorch() };
            using (var batchesOfEpoch = loader.GetEnumerator())
            {
                while (true)
                {
                    if (cancel.IsCancellationRequested) { Cancelled = true; break; }
                    // The scope is opened before MoveNext so that it owns the batch's tensors too.
                    using var scope = NewDisposeScope();
                    phaseClock.Restart();
                    var more = batchesOfEpoch.MoveNext();
                    Loading += phaseClock.Elapsed;
                    if (!more) break;
                    phaseClock.Restart();
                    var loss = Step(batchesOfEpoch.Current, epoch, learningRate, totals);
                    Stepping += phaseClock.Elapsed;
                    trainer.observer?.OnBatch(Progress(epoch, totals.Batches, loss));
                }
            }
            return Cancelled || totals.Batches == 0 ? null : totals;
        }

        /// <summary>One SGD step on <paramref name="batch"/> (none when the objective skips it), added to <paramref name="totals"/>; its loss.</summary>
        float Step(Batch batch, int epoch, double learningRate, EpochTotals totals)
        {
            optimizer.zero_grad();
            ObjectiveStep step;
            using (Autocast.For(options.Precision)) step = objective.Step(student, batch);
            var loss = step.Loss.item<float>();
            if (!float.IsFinite(loss)) throw new TrainingDivergedException(stage, epoch + 1, totals.Batches + 1, learningRate);
            if (step.Skipped)
            {
                totals.Skipped++;
            }
            else
            {
                step.Loss.backward();
                optimizer.step();
            }
            totals.Add(step, loss, batch.Labels.shape[0]);
            return loss;
        }

        /// <summary>Validates when due (every N epochs and after the last) and keeps the best weights; whether they improved.</summary>
        public (ValidationScore? Score, bool Improved) Validate(int epoch)
        {
            var due = (epoch + 1) % Math.Max(1, options.EvaluateEvery) == 0 || epoch == options.Epochs - 1;
            if (validation == null || !due) return (null, false);
            phaseClock.Restart();
            var score = objective.Score(student, validation, Math.Max(options.BatchSize, 256));
            var improved = false;
            // Ties go to the lower validation cross-entropy, then to the earlier epoch.
            if (ValidationOrder.IsBetter(score, BestScore))
            {
                best?.Dispose();
                best = new WeightSnapshot(student);
                BestScore = score;
                BestEpoch = epoch + 1;
                improved = true;
            }
            Validating += phaseClock.Elapsed;
            return (score, improved);
        }

        /// <summary>The epoch's checkpoint and resumable state.</summary>
        public void Save(EpochMetrics metrics, bool isBest)
        {
            if (trainer.checkpoints is null && trainer.states is null) return;
            phaseClock.Restart();
            trainer.checkpoints?.Save(student, metrics, isBest);
            trainer.states?.Save(student, new Lazy<TrainingState>(() => new TrainingState
            {
                CompletedEpochs = metrics.Epoch,
                History = History.ToArray(),
                Best = best,
                BestMetric = BestScore?.Metric,
                BestCrossEntropy = BestScore?.CrossEntropy,
                BestEpoch = BestEpoch,
                Optimizer = OptimizerBytes(optimizer),
                RandomState = RandomStateBytes(),
            }));
            Checkpointing += phaseClock.Elapsed;
        }

        /// <summary>Leaves the network with the best validated weights, in eval mode.</summary>
        void RestoreBest()
        {
            best?.RestoreInto(student);
            best?.Dispose();
            student.eval();
        }

        BatchProgress Progress(int epoch, int batch, double loss)
        {
            var perEpoch = plan.BatchesPerEpoch;
            var elapsed = Clock.Elapsed;
            var done = (epoch - StartEpoch) * perEpoch + batch;
            var total = (options.Epochs - StartEpoch) * perEpoch;
            var remaining = TimeSpan.FromSeconds(elapsed.TotalSeconds / done * (total - done));
            return new BatchProgress(stage, epoch + 1, options.Epochs, batch, perEpoch, loss, elapsed, remaining);
        }
    }

    /// <summary>An epoch's sums over its batches.</summary>
    sealed class EpochTotals
    {
        double lossSum;
        long samples, triplets;
        long? correct;
        readonly Dictionary<string, double> termSums = new();

        public int Batches { get; private set; }
        public int Skipped { get; set; }

        public void Add(ObjectiveStep step, float loss, long batchSize)
        {
            Batches++;
            lossSum += loss;
            triplets += step.Triplets;
            samples += batchSize;
            if (step.Correct is long c) correct = (correct ?? 0) + c;
            foreach (var (name, value) in step.Terms ?? [])
                termSums[name] = termSums.GetValueOrDefault(name) + value.item<float>();
        }

        public EpochMetrics Metrics(TrainingStage stage, ITrainingObjective objective, int epoch, int epochs, ValidationScore? score,
            double learningRate, double seconds) =>
            new(stage, epoch + 1, epochs, lossSum / Batches, Batches, Skipped,
                (double)triplets / Batches, correct is long hits ? (double)hits / samples : null,
                score?.Metric, objective.ValidationMetricName, learningRate, seconds,
                termSums.ToDictionary(t => t.Key, t => t.Value / Batches), score?.CrossEntropy);
    }

    static byte[] OptimizerBytes(TorchSharp.Modules.OptimizerHelper optimizer)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(writer);
        return buffer.ToArray();
    }

    static byte[] RandomStateBytes()
    {
        using var state = get_rng_state();
        return state.data<byte>().ToArray();
    }
}
