using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Refilled.Engine.Checkpoints;
using Refilled.Engine.Data;
using Refilled.Engine.Evaluation;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Experiments;

/// <summary>
/// Runs one expanded run into its folder <c>&lt;output&gt;/&lt;experiment&gt;/&lt;run id&gt;/</c>: teacher (imported, or
/// pretrained once per experiment and cached), then stage 1 and stage 2 (or a baseline) through the one
/// <see cref="Trainer"/>. After every epoch the full training state is written atomically, so a run killed at any
/// moment resumes from its last completed epoch and ends bit-identical to a run that never stopped.
/// A finished run (result.json present) is skipped; a run locked by a live process is skipped with a warning.
/// </summary>
public sealed class ExperimentRunner(string outputRoot, IExperimentHost? host = null)
{
    public static string ModuleVersion => typeof(ExperimentRunner).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public string OutputRoot { get; } = Path.GetFullPath(outputRoot);

    public string FolderOf(ExperimentRun run) => Path.Combine(OutputRoot, run.Config.Name, run.Id);

    public RunResult Run(ExperimentRun run, CancellationToken cancel)
    {
        var folder = FolderOf(run);
        var resultPath = Path.Combine(folder, RunFiles.Result);
        if (File.Exists(resultPath))
        {
            host?.Verbose($"Run {run.Index} ({run.Id}) finished earlier: skipped.");
            return RunResult.Read(resultPath) with { Status = RunStatus.Skipped, Path = folder, RunIndex = run.Index };
        }
        // Refused before the run folder exists: a device or precision this machine lacks.
        var device = run.Config.Device ?? DeviceSpec.Cpu;
        device.EnsureAvailable();
        BFloat16Support.EnsureSupported(run.Config.Precision);
        Directory.CreateDirectory(folder);
        using var runLock = RunLock.TryAcquire(folder, message => host?.Warning(message));
        if (runLock is null) return Unfinished(run, folder, RunStatus.Locked);
        RunFiles.ClearError(folder);
        try
        {
            return RunLocked(run, device, folder, resultPath, cancel);
        }
        catch (Exception e) when (!cancel.IsCancellationRequested)
        {
            RunFiles.WriteError(folder, e);
            throw;
        }
    }

    RunResult RunLocked(ExperimentRun run, DeviceSpec device, string folder, string resultPath, CancellationToken cancel)
    {
        var yaml = ExperimentYaml.Write(run.Config);
        var configPath = Path.Combine(folder, RunFiles.Config);
        if (File.Exists(configPath) && !SameRun(File.ReadAllText(configPath), configPath, run.Config))
            throw new InvalidOperationException(
                $"'{folder}' holds a run of a different configuration (its {RunFiles.Config} differs); move it away or rename the experiment.");
        AtomicFile.WriteAllBytes(configPath, Encoding.UTF8.GetBytes(yaml));
        RunFiles.WriteInfo(folder, new RunInfo(run.Config.Name, run.Index, run.Id, run.Values.ToDictionary(v => v.Key, v => v.Value), ProcessLock.Holder,
            run.Labels.ToDictionary()));
        var log = new RunLog(Path.Combine(folder, RunFiles.Log), host);
        var clock = Stopwatch.StartNew();
        var c = run.Config;
        if (c.Threads is int threads) set_num_threads(threads);
        log.Write($"Run {run.Index} ({run.Id}) of '{c.Name}' by {ProcessLock.Holder}, {get_num_threads()} threads, {device}, {c.Precision}.");

        var dataSeed = c.Data.Seed ?? c.Seed;
        DatasetRequest Request(DatasetSplit split) => new()
        {
            Name = c.Data.Name, Path = c.Data.Path, Split = split, Classes = c.Data.Classes,
            SamplesPerClass = c.Data.SamplesPerClass, ValidationFraction = c.Data.ValidationFraction,
            ValidationSamplesPerClass = c.Data.ValidationPerClass, Seed = dataSeed,
        };
        var train = DatasetCatalog.Load(Request(DatasetSplit.Train));
        var validation = c.Data.HasValidation ? DatasetCatalog.Load(Request(DatasetSplit.Validation)) : null;
        var test = c.Data.Test ? DatasetCatalog.Load(Request(DatasetSplit.Test)) : null;
        log.Write($"Data: {train.Count} training, {validation?.Count ?? 0} validation, {test?.Count ?? 0} test images of classes {string.Join(",", c.Data.Classes)}.");

        var teacher = c.Teacher is null ? null : LoadTeacher(c, device, log, cancel);
        using var teacherNetwork = teacher?.Network;
        if (teacher is null && c.Teacher != null) return Unfinished(run, folder, RunStatus.Cancelled);
        var student = LoadStudent(c, train, device);
        manual_seed(c.Seed); // a provided student's new classifier is drawn as the cmdlet draws it
        if (c.Baseline?.StudentFrom(teacher, student, train) is { } provided)
        {
            student.Network.Dispose();
            student = provided;
            log.Write($"Student: {c.Baseline.Method} uses the teacher's architecture, {student.Network.Spec}, not {c.StudentArchitecture}.");
        }
        using var studentNetwork = student.Network;

        var history = new List<EpochMetrics>();
        double earlierSeconds = 0;
        foreach (var recipe in c.Stages.SelectMany(s => s.Phases()))
        {
            var stage = recipe.Stage;
            // Refused here (same error id as the cmdlets) before any epoch is trained.
            var (objective, options) = recipe.Build(teacher, student, train,
                new TrainingOptions { Seed = c.Seed, Threads = c.Threads, Precision = c.Precision });
            var statePath = Path.Combine(folder, RunFiles.StateFile(stage));
            TrainingState? resume = null;
            if (File.Exists(statePath))
            {
                var (state, weights) = TrainingStateFile.Load(statePath, student.Network);
                using (weights) weights.RestoreInto(student.Network);
                resume = state;
                earlierSeconds += state.History.Sum(h => h.Seconds);
                log.Write($"{stage}: resuming after epoch {state.CompletedEpochs} of {options.Epochs}.");
            }
            var sink = new RunStateSink(folder, stage, student, c, history, statePath);
            var hostObserver = host?.StageStarted(run, stage);
            var observer = TensorBoardObserver.Wrap(hostObserver, c.TensorBoard ? folder : null,
                history.Sum(h => h.Batches) + (resume?.History.Sum(h => h.Batches) ?? 0));
            TrainingResult result;
            try
            {
                result = new Trainer(options, objective, observer, null, sink).Run(student.Network, train, validation, cancel, resume);
            }
            finally
            {
                resume?.Best?.Dispose();
                host?.StageEnded(hostObserver);
            }
            if (result.Cancelled)
            {
                log.Write($"{stage}: stopped after epoch {result.History.Count}; the run resumes from there.");
                return Unfinished(run, folder, RunStatus.Cancelled);
            }
            history.AddRange(result.History);
            log.Write($"{stage}: done, best epoch {result.BestEpoch?.ToString(CultureInfo.InvariantCulture) ?? "-"}, " +
                      $"{result.History.FirstOrDefault()?.ValidationMetricName} {result.BestValidationMetric?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-"}.");
        }

        // NCM class means come from the training images (inductive); the transductive number is kept under its own name.
        var onValidation = validation is null ? null : ModelEvaluator.Measure(student.Network, validation, true, reference: test is null ? train : null, precision: c.Precision);
        var onTest = test is null ? null : ModelEvaluator.Measure(student.Network, test, true, reference: train, precision: c.Precision);
        var final = new RunResult
        {
            Experiment = c.Name,
            RunIndex = run.Index,
            RunId = run.Id,
            Method = c.Method,
            Seed = c.Seed,
            Lambda = c.Stage2?.Lambda,
            Tau1 = c.Stage1?.Tau,
            Tau2 = c.Stage2?.Tau,
            SamplesPerClass = c.Data.SamplesPerClass,
            ValidationAccuracy = onValidation?.Accuracy,
            TestAccuracy = onTest?.Accuracy,
            NcmAccuracy = (onTest ?? onValidation)?.NcmAccuracy,
            NcmTransductive = (onTest ?? onValidation)?.NcmTransductive,
            Accuracy = onTest?.Accuracy ?? onValidation?.Accuracy,
            Epochs = history.Count,
            // This invocation plus the epochs that earlier, interrupted invocations trained.
            Seconds = clock.Elapsed.TotalSeconds + earlierSeconds,
            ModuleVersion = ModuleVersion,
            WeightsSha256 = WeightsSha256(student.Network),
            Status = RunStatus.Completed,
            Path = folder,
            Finished = DateTimeOffset.UtcNow,
        };
        final.Write(resultPath);
        log.Write($"Finished: accuracy {final.Accuracy?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-"}, NCM {final.NcmAccuracy?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-"}, weights {final.WeightsSha256[..12]}.");
        return final;
    }

    static RunResult Unfinished(ExperimentRun run, string folder, RunStatus status) => new()
    {
        Experiment = run.Config.Name, RunIndex = run.Index, RunId = run.Id, Seed = run.Config.Seed,
        Method = run.Config.Method,
        Lambda = run.Config.Stage2?.Lambda, Tau1 = run.Config.Stage1?.Tau, Tau2 = run.Config.Stage2?.Tau,
        SamplesPerClass = run.Config.Data.SamplesPerClass, ModuleVersion = ModuleVersion, Status = status, Path = folder,
    };

    /// <summary>
    /// Whether a run folder's config.yaml describes the same run as <paramref name="config"/>; the device may differ, so
    /// a run resumes on another device.
    /// </summary>
    static bool SameRun(string existingYaml, string path, ExperimentConfig config)
    {
        ExperimentConfig existing;
        try
        {
            existing = Experiment.Parse(existingYaml, path).Base;
        }
        catch (ExperimentValidationException)
        {
            return false;
        }
        return ExperimentYaml.Write(existing with { Device = null }) == ExperimentYaml.Write(config with { Device = null });
    }

    public static string WeightsSha256(RefilledNetwork network)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true)) network.save(writer);
        return Convert.ToHexString(SHA256.HashData(buffer.ToArray()));
    }

    /// <summary>A new student for the data (seeded by the run), or the trained one the experiment names, on <paramref name="device"/>.</summary>
    static LabelledNetwork LoadStudent(ExperimentConfig c, ImageDataset train, DeviceSpec device)
    {
        if (c.StudentFile is { } file)
        {
            if (!File.Exists(file)) throw new FileNotFoundException($"No student checkpoint at '{file}'.", file);
            var (network, metadata) = ModelCheckpoint.Load(file, device);
            return new LabelledNetwork(network, metadata.Classes);
        }
        return new LabelledNetwork(NetworkSpec.Parse(c.StudentArchitecture).Initialise(train.NumClasses, c.Seed, device), train.Classes);
    }

    /// <summary>The teacher file, or the experiment's pretrained teacher (trained once, cached under teachers/); null when cancelled.</summary>
    LabelledNetwork? LoadTeacher(ExperimentConfig c, DeviceSpec device, RunLog log, CancellationToken cancel)
    {
        var t = c.Teacher!;
        if (t.File is { } file)
        {
            if (!File.Exists(file)) throw new FileNotFoundException($"No teacher checkpoint at '{file}'.", file);
            if (!PyTorchCheckpointImporter.IsPyTorchFile(file)) return Labelled(ModelCheckpoint.Load(file, device));
            if (t.Architecture is null)
                throw new ArgumentException($"'{file}' is not a Refilled checkpoint: give teacher.architecture to import it as PyTorch.");
            var imported = PyTorchCheckpointImporter.Load(file, NetworkSpec.Parse(t.Architecture), t.Classes?.Length, device: device);
            return new LabelledNetwork(imported, t.Classes ?? [.. Enumerable.Range(0, imported.NumClasses)]);
        }
        var p = t.Pretrain!;
        var key = $"{c.Data.Name}|{c.Data.Path}|{p.Architecture}|{string.Join(",", p.Classes)}|{RecipeYaml.Describe(p.Recipe)}|{Experiment.Format(p.ValidationFraction)}|{p.Seed}|{c.Threads}";
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12].ToLowerInvariant();
        var cached = Path.Combine(OutputRoot, c.Name, "teachers", $"{p.Architecture}-{hash}.refilled");
        // Parallel array tasks: one pretrains while the others wait for it, then reuse its checkpoint.
        using var pretraining = ProcessLock.Acquire(cached + ".lock", log.Write, cancel);
        if (pretraining is null) return null;
        if (File.Exists(cached))
        {
            log.Write($"Teacher: reused {cached}.");
            return Labelled(ModelCheckpoint.Load(cached, device));
        }
        DatasetRequest Request(DatasetSplit split) => new()
        {
            Name = c.Data.Name, Path = c.Data.Path, Split = split, Classes = p.Classes, ValidationFraction = p.ValidationFraction, Seed = p.Seed,
        };
        var train = DatasetCatalog.Load(Request(DatasetSplit.Train));
        var validation = p.ValidationFraction > 0 ? DatasetCatalog.Load(Request(DatasetSplit.Validation)) : null;
        var teacher = NetworkSpec.Parse(p.Architecture).Initialise(train.NumClasses, p.Seed, device);
        var (objective, options) = p.Recipe.Build(null, new LabelledNetwork(teacher, train.Classes), train,
            new TrainingOptions { Seed = p.Seed, Threads = c.Threads, Precision = c.Precision });
        log.Write($"Teacher: pretraining {p.Architecture} on classes {string.Join(",", p.Classes)} for {options.Epochs} epochs.");
        var result = new Trainer(options, objective).Run(teacher, train, validation, cancel);
        if (result.Cancelled)
        {
            teacher.Dispose();
            return null;
        }
        var metadata = CheckpointMetadata.Describe(teacher, p.Classes);
        metadata.Stage = TrainingStage.Pretraining.ToString();
        metadata.Epochs = result.History.Count;
        metadata.Seed = p.Seed;
        metadata.TrainingSeed = p.Seed;
        if (result.BestValidationMetric is double v) metadata.Metrics["accuracy"] = v;
        ModelCheckpoint.Save(teacher, metadata, cached);
        log.Write($"Teacher: saved {cached} (validation accuracy {result.BestValidationMetric?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-"}).");
        return new LabelledNetwork(teacher, train.Classes);
    }

    static LabelledNetwork Labelled((RefilledNetwork Network, CheckpointMetadata Metadata) checkpoint) =>
        new(checkpoint.Network, checkpoint.Metadata.Classes);

    /// <summary>After each epoch: the resumable state, the last and best checkpoints, and metrics.csv (all stages so far).</summary>
    sealed class RunStateSink : ITrainingStateSink
    {
        readonly string folder, statePath;
        readonly IReadOnlyList<EpochMetrics> earlierStages;
        readonly CheckpointFileSink last, best;

        public RunStateSink(string folder, TrainingStage stage, LabelledNetwork student, ExperimentConfig config,
            IReadOnlyList<EpochMetrics> earlierStages, string statePath)
        {
            this.folder = folder;
            this.statePath = statePath;
            this.earlierStages = earlierStages;
            CheckpointMetadata Metadata()
            {
                var metadata = CheckpointMetadata.Describe(student.Network, student.Classes);
                metadata.Stage = stage.ToString();
                metadata.Seed = config.Seed;
                metadata.TrainingSeed = config.Seed;
                return metadata;
            }
            last = new CheckpointFileSink(Path.Combine(folder, RunFiles.LastCheckpoint(stage)), Metadata);
            best = new CheckpointFileSink(Path.Combine(folder, RunFiles.BestCheckpoint(stage)), Metadata);
        }

        public void Save(RefilledNetwork network, TrainingState state)
        {
            TrainingStateFile.Save(statePath, network, state);
            var metrics = state.History[^1];
            last.Save(network, metrics, isBest: true);
            // The best weights are the current ones exactly when this epoch set the best score (or nothing is validated).
            best.Save(network, metrics, isBest: state.BestEpoch == state.CompletedEpochs || state.BestEpoch is null);
            RunFiles.WriteMetrics(Path.Combine(folder, RunFiles.Metrics), earlierStages.Concat(state.History));
        }
    }

    /// <summary>run.log, appended to without following a link another user of the folder may have planted.</summary>
    sealed class RunLog(string path, IExperimentHost? host)
    {
        public void Write(string message)
        {
            using (var file = NoFollowFile.Open(path, FileMode.Append, FileAccess.Write))
                file.Write(Encoding.UTF8.GetBytes($"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {message}\n"));
            host?.Verbose(message);
        }
    }
}
