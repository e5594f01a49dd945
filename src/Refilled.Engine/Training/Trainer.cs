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

        var device = student.Device.ToTorch();
        var totalClock = Stopwatch.StartNew();
        objective.Prepare(student, train);
        var prepareSeconds = totalClock.Elapsed.TotalSeconds;
        // Per-phase totals: a Stopwatch read per batch costs nanoseconds.
        TimeSpan loading = default, stepping = default, validating = default, checkpointing = default;
        var phaseClock = new Stopwatch();
        var schedule = options.Schedule ?? LearningRateSchedule.MultiStep(options.LearningRate, [], 1);
        // A set smaller than one batch still trains: drop-last only applies when it leaves something.
        // A last batch of one image is dropped too: BatchNorm cannot train on a single sample.
        var dropLast = (options.DropLast && train.Count >= options.BatchSize) || (train.Count > 1 && train.Count % options.BatchSize == 1);
        var batchesPerEpoch = dropLast ? train.Count / options.BatchSize : (train.Count + options.BatchSize - 1) / options.BatchSize;

        using var optimizer = optim.SGD(objective.Parameters(student), options.LearningRate, options.Momentum,
            0, options.WeightDecay, options.Nesterov);
        var history = new List<EpochMetrics>();
        WeightSnapshot? best = null;
        ValidationScore? bestScore = null;
        int? bestEpoch = null;
        var startEpoch = 0;
        if (resume != null)
        {
            startEpoch = resume.CompletedEpochs;
            history.AddRange(resume.History);
            best = resume.Best?.Copy();
            bestScore = resume.BestMetric is double resumed ? new ValidationScore(resumed, resume.BestCrossEntropy) : null;
            bestEpoch = resume.BestEpoch;
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
        var cancelled = false;
        var runClock = Stopwatch.StartNew();
        try
        {
            for (var epoch = startEpoch; epoch < options.Epochs && !cancelled; epoch++)
            {
                var epochClock = Stopwatch.StartNew();
                var learningRate = schedule.At(epoch);
                foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
                student.train();
                objective.BeginEpoch(epoch);

                double lossSum = 0;
                long samples = 0, triplets = 0;
                long? correct = null;
                int batches = 0, skipped = 0;
                var termSums = new Dictionary<string, double>();
                // Each epoch gets its own shuffling and augmentation stream, reproducible from the run's seed.
                var loader = new DataLoader(train, options.BatchSize, shuffle: true, dropLast: dropLast, augment: true,
                    seed: options.Seed, epoch: epoch) { Device = device };
                using (var batchesOfEpoch = loader.GetEnumerator())
                {
                    while (true)
                    {
                        if (cancel.IsCancellationRequested) { cancelled = true; break; }
                        // The scope is opened before MoveNext so that it owns the batch's tensors too.
                        using var scope = NewDisposeScope();
                        phaseClock.Restart();
                        var more = batchesOfEpoch.MoveNext();
                        loading += phaseClock.Elapsed;
                        if (!more) break;
                        phaseClock.Restart();
                        var batch = batchesOfEpoch.Current;
                        optimizer.zero_grad();
                        ObjectiveStep step;
                        using (Autocast.For(options.Precision)) step = objective.Step(student, batch);
                        var loss = step.Loss.item<float>();
                        if (!float.IsFinite(loss)) throw new TrainingDivergedException(objective.Stage, epoch + 1, batches + 1, learningRate);
                        if (step.Skipped)
                        {
                            skipped++;
                        }
                        else
                        {
                            step.Loss.backward();
                            optimizer.step();
                        }
                        batches++;
                        lossSum += loss;
                        triplets += step.Triplets;
                        samples += batch.Labels.shape[0];
                        if (step.Correct is long c) correct = (correct ?? 0) + c;
                        foreach (var (name, value) in step.Terms ?? [])
                            termSums[name] = termSums.GetValueOrDefault(name) + value.item<float>();
                        stepping += phaseClock.Elapsed;
                        observer?.OnBatch(Progress(epoch, batches, batchesPerEpoch, loss, runClock.Elapsed));
                    }
                }
                if (cancelled || batches == 0) break;

                ValidationScore? score = null;
                var improved = false;
                var validateNow = (epoch + 1) % Math.Max(1, options.EvaluateEvery) == 0 || epoch == options.Epochs - 1;
                if (validation != null && validateNow)
                {
                    phaseClock.Restart();
                    score = objective.Score(student, validation, Math.Max(options.BatchSize, 256));
                    // Ties go to the lower validation cross-entropy, then to the earlier epoch.
                    if (ValidationOrder.IsBetter(score.Value, bestScore))
                    {
                        best?.Dispose();
                        best = new WeightSnapshot(student);
                        bestScore = score;
                        bestEpoch = epoch + 1;
                        improved = true;
                    }
                    validating += phaseClock.Elapsed;
                }
                var metrics = new EpochMetrics(objective.Stage, epoch + 1, options.Epochs, lossSum / batches, batches, skipped,
                    (double)triplets / batches, correct is long hits ? (double)hits / samples : null,
                    score?.Metric, objective.ValidationMetricName, learningRate, epochClock.Elapsed.TotalSeconds,
                    termSums.ToDictionary(t => t.Key, t => t.Value / batches), score?.CrossEntropy);
                history.Add(metrics);
                // Freed batch buffers stay in glibc's per-thread arenas otherwise; a long run's RSS then drifts. A trim
                // costs ~10 ms (and page faults after it), so epochs shorter than a second skip it: the quickstart's
                // one-batch epochs ran 1.6x slower with a trim after each.
                if (epochClock.Elapsed >= MinimumEpochForHeapTrim) NativeHeap.Trim();
                observer?.OnEpoch(metrics);
                phaseClock.Restart();
                checkpoints?.Save(student, metrics, improved || validation == null);
                states?.Save(student, new TrainingState
                {
                    CompletedEpochs = epoch + 1,
                    History = history.ToArray(),
                    Best = best,
                    BestMetric = bestScore?.Metric,
                    BestCrossEntropy = bestScore?.CrossEntropy,
                    BestEpoch = bestEpoch,
                    Optimizer = OptimizerBytes(optimizer),
                    RandomState = RandomStateBytes(),
                });
                if (checkpoints != null || states != null) checkpointing += phaseClock.Elapsed;
            }
        }
        finally
        {
            best?.RestoreInto(student);
            best?.Dispose();
            student.eval();
        }
        var phases = new TrainingPhases(objective.Stage, prepareSeconds, loading.TotalSeconds, stepping.TotalSeconds,
            validating.TotalSeconds, checkpointing.TotalSeconds, totalClock.Elapsed.TotalSeconds);
        return new TrainingResult(history, bestEpoch, bestScore?.Metric, cancelled, runClock.Elapsed.TotalSeconds, phases, bestScore?.CrossEntropy);

        BatchProgress Progress(int epoch, int batch, int perEpoch, double loss, TimeSpan elapsed)
        {
            var done = (epoch - startEpoch) * perEpoch + batch;
            var total = (options.Epochs - startEpoch) * perEpoch;
            var remaining = TimeSpan.FromSeconds(elapsed.TotalSeconds / done * (total - done));
            return new BatchProgress(objective.Stage, epoch + 1, options.Epochs, batch, perEpoch, loss, elapsed, remaining);
        }
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
