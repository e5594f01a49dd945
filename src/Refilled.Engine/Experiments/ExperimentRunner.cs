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
/// pretrained once per experiment and cached), then stage 1 and stage 2 (or a baseline), each a <see cref="TrainingRun"/>. After every epoch the full training state is written atomically, so a run killed at any
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
        var stages = run.Config.Stages.Select(stage => new TrainingRun(stage, Settings(run.Config, run.Config.Seed))).ToList();
        Directory.CreateDirectory(folder);
        using var runLock = RunLock.TryAcquire(folder, message => host?.Warning(message));
        if (runLock is null) return Result(run, folder, RunStatus.Locked);
        RunFiles.ClearError(folder);
        try
        {
            return RunLocked(run, stages, device, folder, resultPath, cancel);
        }
        catch (Exception e) when (!cancel.IsCancellationRequested)
        {
            RunFiles.WriteError(folder, e);
            throw;
        }
    }

    /// <summary>The run-wide training settings of the experiment with <paramref name="seed"/>.</summary>
    static TrainingOptions Settings(ExperimentConfig c, int seed) => new() { Seed = seed, Threads = c.Threads, Precision = c.Precision };

    RunResult RunLocked(ExperimentRun run, IReadOnlyList<TrainingRun> stages, DeviceSpec device, string folder, string resultPath,
        CancellationToken cancel)
    {
        WriteRunFiles(run, folder);
        var log = new RunLog(Path.Combine(folder, RunFiles.Log), host);
        var clock = Stopwatch.StartNew();
        var c = run.Config;
        if (c.Threads is int threads) set_num_threads(threads);
        log.Write($"Run {run.Index} ({run.Id}) of '{c.Name}' by {ProcessLock.Holder}, {get_num_threads()} threads, {device}, {c.Precision}.");
        var (train, validation, test) = LoadData(c, log);

        var teacher = c.Teacher is null ? null : LoadTeacher(c, device, log, cancel);
        using var teacherNetwork = teacher?.Network;
        if (teacher is null && c.Teacher != null) return Result(run, folder, RunStatus.Cancelled);
        var requested = LoadStudent(c, train, device);
        var student = stages[0].Student(teacher, requested, train);
        if (!ReferenceEquals(student, requested))
        {
            requested.Network.Dispose();
            log.Write($"Student: {c.Baseline!.Method} uses the teacher's architecture, {student.Network.Spec}, not {c.StudentArchitecture}.");
        }
        using var studentNetwork = student.Network;

        var stagesHost = new RunStages(run, folder, student, c, log, host);
        foreach (var stage in stages)
            if (stage.Train(teacher, student, train, validation, cancel, stagesHost).LastOrDefault()?.Cancelled == true)
                return Result(run, folder, RunStatus.Cancelled);

        var final = Measured(run, folder, student, train, validation, test) with
        {
            Epochs = stagesHost.History.Count,
            // This invocation plus the epochs that earlier, interrupted invocations trained.
            Seconds = clock.Elapsed.TotalSeconds + stagesHost.EarlierSeconds,
        };
        final.Write(resultPath);
        log.Write($"Finished: accuracy {final.Accuracy?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-"}, NCM {final.NcmAccuracy?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-"}, weights {final.WeightsSha256[..12]}.");
        return final;
    }

    /// <summary>config.yaml (refused when the folder holds another configuration's run) and info.json.</summary>
    static void WriteRunFiles(ExperimentRun run, string folder)
    {
        var yaml = ExperimentYaml.Write(run.Config);
        var configPath = Path.Combine(folder, RunFiles.Config);
        if (File.Exists(configPath) && !SameRun(File.ReadAllText(configPath), configPath, run.Config))
            throw new InvalidOperationException(
                $"'{folder}' holds a run of a different configuration (its {RunFiles.Config} differs); move it away or rename the experiment.");
        AtomicFile.WriteAllBytes(configPath, Encoding.UTF8.GetBytes(yaml));
        RunFiles.WriteInfo(folder, new RunInfo(run.Config.Name, run.Index, run.Id, run.Values.ToDictionary(v => v.Key, v => v.Value), ProcessLock.Holder,
            run.Labels.ToDictionary()));
    }

    /// <summary>The run's training split, and its validation and test splits where the data configures them.</summary>
    static (ImageDataset Train, ImageDataset? Validation, ImageDataset? Test) LoadData(ExperimentConfig c, RunLog log)
    {
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
        return (train, validation, test);
    }

    /// <summary>The trained student's accuracies, as the completed run's result.</summary>
    static RunResult Measured(ExperimentRun run, string folder, LabelledNetwork student, ImageDataset train, ImageDataset? validation, ImageDataset? test)
    {
        var c = run.Config;
        // NCM class means come from the training images (inductive); the transductive number is kept under its own name.
        var onValidation = validation is null ? null : ModelEvaluator.Measure(student.Network, validation, true, reference: test is null ? train : null, precision: c.Precision);
        var onTest = test is null ? null : ModelEvaluator.Measure(student.Network, test, true, reference: train, precision: c.Precision);
        return Result(run, folder, RunStatus.Completed) with
        {
            ValidationAccuracy = onValidation?.Accuracy,
            TestAccuracy = onTest?.Accuracy,
            NcmAccuracy = (onTest ?? onValidation)?.NcmAccuracy,
            NcmTransductive = (onTest ?? onValidation)?.NcmTransductive,
            Accuracy = onTest?.Accuracy ?? onValidation?.Accuracy,
            WeightsSha256 = WeightsSha256(student.Network),
            Finished = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>The run's identity and settings with <paramref name="status"/>, nothing measured.</summary>
    static RunResult Result(ExperimentRun run, string folder, RunStatus status) => new()
    {
        Experiment = run.Config.Name, RunIndex = run.Index, RunId = run.Id, Seed = run.Config.Seed,
        Method = run.Config.Method,
        Hyperparameters = RunResult.HyperparametersOf(run.Config),
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
        var teacherRun = new TrainingRun(p.Recipe, Settings(c, p.Seed));
        var teacher = new LabelledNetwork(NetworkSpec.Parse(p.Architecture).Initialise(train.NumClasses, p.Seed, device), train.Classes);
        log.Write($"Teacher: pretraining {p.Architecture} on classes {string.Join(",", p.Classes)} for {p.Recipe.Epochs} epochs.");
        var result = teacherRun.Train(null, teacher, train, validation, cancel).Single();
        if (result.Cancelled)
        {
            teacher.Network.Dispose();
            return null;
        }
        ModelCheckpoint.Save(teacher.Network, TrainingRun.Metadata(teacher, TrainingStage.Pretraining, result.History, p.Seed, p.Seed), cached);
        log.Write($"Teacher: saved {cached} (validation accuracy {result.BestValidationMetric?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-"}).");
        return teacher;
    }

    static LabelledNetwork Labelled((RefilledNetwork Network, CheckpointMetadata Metadata) checkpoint) =>
        new(checkpoint.Network, checkpoint.Metadata.Classes);

    /// <summary>
    /// The run folder as the host of each stage's training: stage states (<c>&lt;stage&gt;.state</c>), after each epoch the last
    /// and best checkpoints and metrics.csv (all stages so far), progress, and the log.
    /// </summary>
    sealed class RunStages(ExperimentRun run, string folder, LabelledNetwork student, ExperimentConfig config, RunLog log, IExperimentHost? host)
        : ITrainingRunHost
    {
        ITrainingObserver? hostObserver;

        /// <summary>The epochs of the stages completed so far.</summary>
        public List<EpochMetrics> History { get; } = [];

        /// <summary>The seconds earlier, interrupted invocations trained the resumed stages for.</summary>
        public double EarlierSeconds { get; private set; }

        public string? StatePath(TrainingStage phase) => Path.Combine(folder, RunFiles.StateFile(phase));

        /// <summary>Every epoch: a run killed at any moment (a preempted array task) resumes from its last completed epoch.</summary>
        public TimeSpan StateInterval => TimeSpan.Zero;

        public TrainingPhaseOutput PhaseStarted(StageRecipe phase, TrainingOptions options, TrainingState? resumed)
        {
            if (resumed != null)
            {
                EarlierSeconds += resumed.History.Sum(h => h.Seconds);
                log.Write($"{phase.Stage}: resuming after epoch {resumed.CompletedEpochs} of {options.Epochs}.");
            }
            hostObserver = host?.StageStarted(run, phase.Stage);
            var observer = TensorBoardObserver.Wrap(hostObserver, config.TensorBoard ? folder : null,
                History.Sum(h => h.Batches) + (resumed?.History.Sum(h => h.Batches) ?? 0));
            return new TrainingPhaseOutput(observer, States: new Checkpoints(folder, phase.Stage, student, config, History));
        }

        public void PhaseEnded(StageRecipe phase, TrainingResult? result)
        {
            host?.StageEnded(hostObserver);
            if (result is null) return;
            if (result.Cancelled)
            {
                log.Write($"{phase.Stage}: stopped after epoch {result.History.Count}; the run resumes from there.");
                return;
            }
            History.AddRange(result.History);
            log.Write($"{phase.Stage}: done, best epoch {result.BestEpoch?.ToString(CultureInfo.InvariantCulture) ?? "-"}, " +
                      $"{result.History.FirstOrDefault()?.ValidationMetricName} {result.BestValidationMetric?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-"}.");
        }
    }

    /// <summary>After each epoch: the last and best checkpoints, and metrics.csv (all stages so far).</summary>
    sealed class Checkpoints : ITrainingStateSink
    {
        readonly string folder;
        readonly IReadOnlyList<EpochMetrics> earlierStages;
        readonly CheckpointFileSink last, best;

        public Checkpoints(string folder, TrainingStage stage, LabelledNetwork student, ExperimentConfig config, IReadOnlyList<EpochMetrics> earlierStages)
        {
            this.folder = folder;
            this.earlierStages = earlierStages;
            CheckpointMetadata Metadata() => TrainingRun.Metadata(student, stage, [], config.Seed, config.Seed);
            last = new CheckpointFileSink(Path.Combine(folder, RunFiles.LastCheckpoint(stage)), Metadata);
            best = new CheckpointFileSink(Path.Combine(folder, RunFiles.BestCheckpoint(stage)), Metadata);
        }

        public void Save(RefilledNetwork network, Lazy<TrainingState> lazyState)
        {
            var state = lazyState.Value;
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
