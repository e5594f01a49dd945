using Refilled.Engine.Checkpoints;
using Refilled.Engine.Data;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using static TorchSharp.torch;

namespace Refilled.Engine.Training;

/// <summary>
/// One training run of one recipe: the way every network is trained (the training cmdlets, each stage of an experiment
/// run, an experiment's teacher pretraining). It refuses a precision this CPU lacks when it is created, before anything
/// else exists; draws the student a baseline provides from the run's seed; trains the recipe's phases in order through a
/// <see cref="Trainer"/>, each resumed from the state its host keeps for it; and describes the checkpoints it writes.
/// </summary>
public sealed class TrainingRun
{
    /// <param name="settings">The run-wide settings (seed, threads, precision); the recipe sets every hyperparameter.</param>
    /// <exception cref="PrecisionNotSupportedException">The settings' precision cannot run on this CPU.</exception>
    public TrainingRun(StageRecipe recipe, TrainingOptions settings)
    {
        BFloat16Support.EnsureSupported(settings.Precision);
        Recipe = recipe;
        Settings = settings;
    }

    public StageRecipe Recipe { get; }

    public TrainingOptions Settings { get; }

    /// <summary>
    /// The network the run trains: <paramref name="requested"/>, or the one a baseline builds from the teacher (fine-tuning,
    /// teacher NCM), whose new classifier is drawn from the run's seed so that a cmdlet and an experiment draw the same.
    /// </summary>
    public LabelledNetwork Student(LabelledNetwork? teacher, LabelledNetwork requested, ImageDataset data)
    {
        manual_seed(Settings.Seed);
        return (Recipe as BaselineRecipe)?.StudentFrom(teacher, requested, data) ?? requested;
    }

    /// <summary>
    /// Trains <paramref name="student"/> in place through each of the recipe's phases, stopping after a cancelled one, and
    /// returns each phase's result. A phase whose <see cref="ITrainingRunHost.StatePath"/> holds a saved state continues from
    /// it (to weights bit-identical to a run that never stopped), and its state is saved there after its epochs (see
    /// <see cref="ITrainingRunHost.StateInterval"/>).
    /// </summary>
    public IReadOnlyList<TrainingResult> Train(LabelledNetwork? teacher, LabelledNetwork student, ImageDataset train,
        ImageDataset? validation, CancellationToken cancel, ITrainingRunHost? host = null)
    {
        var results = new List<TrainingResult>();
        foreach (var phase in Recipe.Phases())
        {
            results.Add(TrainPhase(phase, teacher, student, train, validation, cancel, host));
            if (results[^1].Cancelled) break;
        }
        return results;
    }

    TrainingResult TrainPhase(StageRecipe phase, LabelledNetwork? teacher, LabelledNetwork student, ImageDataset train,
        ImageDataset? validation, CancellationToken cancel, ITrainingRunHost? host)
    {
        // Refused (the recipe's rules) before any epoch is trained.
        var (objective, options) = phase.Build(teacher, student, train, Settings);
        if (validation != null) phase.Validate(teacher, student, validation);
        var statePath = host?.StatePath(phase.Stage);
        var resume = statePath != null && File.Exists(statePath) ? Resume(statePath, student.Network) : null;
        TrainingResult? result = null;
        try
        {
            var output = host?.PhaseStarted(phase, options, resume) ?? new TrainingPhaseOutput();
            var states = statePath is null ? output.States : new StateFileSink(statePath, host!.StateInterval, output.States);
            result = new Trainer(options, objective, output.Observer, output.Checkpoints, states)
                .Run(student.Network, train, validation, cancel, resume);
            return result;
        }
        finally
        {
            resume?.Best?.Dispose();
            host?.PhaseEnded(phase, result);
        }
    }

    /// <summary>The state saved at <paramref name="path"/>, its weights restored into <paramref name="network"/>.</summary>
    static TrainingState Resume(string path, RefilledNetwork network)
    {
        var (state, weights) = TrainingStateFile.Load(path, network);
        using (weights) weights.RestoreInto(network);
        return state;
    }

    /// <summary>A checkpoint file kept up to date during <paramref name="phase"/> of this run (see <see cref="CheckpointFileSink"/>).</summary>
    /// <param name="seed">The seed that initialised the network's weights.</param>
    public CheckpointFileSink Checkpoint(string path, LabelledNetwork network, TrainingStage phase, int? seed) =>
        new(path, () => Metadata(network, phase, [], seed, Settings.Seed));

    /// <summary>
    /// What a checkpoint of <paramref name="network"/> records beside the weights: the stage that trained it, that stage's
    /// epochs in <paramref name="history"/> (FitNet's hint phase included), the last epoch's loss and validation score, the
    /// seed that initialised the weights and the seed of the run that trained them.
    /// </summary>
    public static CheckpointMetadata Metadata(LabelledNetwork network, TrainingStage? stage, IReadOnlyList<EpochMetrics> history,
        int? seed, int? trainingSeed)
    {
        var metadata = CheckpointMetadata.Describe(network.Network, network.Classes);
        metadata.Stage = stage?.ToString();
        metadata.Epochs = stage is { } trained ? history.Count(h => h.Stage.Owner() == trained.Owner()) : 0;
        if (history.Count > 0)
        {
            var last = history[^1];
            if (last.ValidationMetric is double v) metadata.Metrics[last.ValidationMetricName] = v;
            metadata.Metrics["loss"] = last.Loss;
        }
        metadata.Seed = seed;
        metadata.TrainingSeed = trainingSeed;
        return metadata;
    }

    /// <summary>Saves the resumable state after the first epoch and then at most once per <paramref name="interval"/>, and passes every epoch on.</summary>
    sealed class StateFileSink(string path, TimeSpan interval, ITrainingStateSink? next) : ITrainingStateSink
    {
        readonly System.Diagnostics.Stopwatch sinceSave = new();

        public void Save(RefilledNetwork network, Lazy<TrainingState> state)
        {
            if (!sinceSave.IsRunning || sinceSave.Elapsed >= interval)
            {
                TrainingStateFile.Save(path, network, state.Value);
                sinceSave.Restart();
            }
            next?.Save(network, state);
        }
    }
}
