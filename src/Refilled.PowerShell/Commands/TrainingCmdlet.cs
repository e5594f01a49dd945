using System.Management.Automation;
using Refilled.Engine.Checkpoints;
using Refilled.Engine.Methods;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

/// <summary>
/// Parameters and behaviour shared by every training cmdlet: data, run-wide settings, progress, Ctrl+C. A cmdlet's
/// hyperparameters are generated from its recipe (<c>[RecipeParameters]</c>, Refilled.Generators): it fills the recipe
/// from them (same names as the recipe's properties) and trains it.
/// </summary>
public abstract class TrainingCmdlet : RefilledCmdlet, IDisposable
{
    readonly CancellationTokenSource stop = new();

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Dataset", "TrainData")]
    public RefilledDataset Data { get; set; } = null!;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public RefilledDataset? ValidationData { get; set; }

    [Parameter]
    public int Seed { get; set; }

    [Parameter]
    [ValidateRange(1, 1024)]
    public int? Threads { get; set; }

    [Parameter]
    public string? CheckpointPath { get; set; }

    /// <summary>A folder for TensorBoard event files: one folder is one TensorBoard run (give stage 1 and 2 the same).</summary>
    [Parameter]
    public string? LogDirectory { get; set; }

    /// <summary>Lets -CheckpointPath replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>The run's precision (see <see cref="TrainingOptions.Precision"/>): BFloat16 runs the frozen teacher and the student's convolutions in bfloat16.</summary>
    [Parameter]
    public Precision Precision { get; set; } = Precision.Float32;

    protected override void StopProcessing() => stop.Cancel();

    public void Dispose() => stop.Dispose();

    /// <summary>
    /// <paramref name="recipe"/> with every hyperparameter given as the cmdlet parameter of the same name; those not given
    /// keep the recipe's value (its default, the parameter's too, or a schedule preset's).
    /// </summary>
    protected T Recipe<T>(T recipe) where T : StageRecipe
    {
        foreach (var key in RecipeKey.Of(recipe.GetType()))
        {
            var parameter = GetType().GetProperty(key.Property.Name)
                ?? throw new InvalidOperationException($"{GetType().Name} has no -{key.Property.Name} for the recipe's '{key.Key}'.");
            if (!MyInvocation.BoundParameters.ContainsKey(parameter.Name)) continue;
            var value = parameter.GetValue(this);
            recipe = key.With(recipe, value is SwitchParameter s ? s.IsPresent : value);
        }
        return recipe;
    }

    /// <summary>
    /// The run of <paramref name="recipe"/> with this cmdlet's seed, threads and precision; a precision this CPU lacks is
    /// refused here, so call it before creating anything.
    /// </summary>
    protected TrainingRun NewRun(StageRecipe recipe) => new(recipe, new TrainingOptions { Seed = Seed, Threads = Threads, Precision = Precision });

    /// <summary>
    /// Trains <paramref name="model"/> in place on the pipeline thread through each phase of <paramref name="run"/> and records
    /// them on it; false when it was stopped. With -CheckpointPath the run's state is kept beside the checkpoint (see
    /// <see cref="CmdletTraining.StateInterval"/>), so that the same command resumes a stopped run; it is deleted once the
    /// run is complete.
    /// </summary>
    protected bool Train(RefilledModel model, RefilledModel? teacher, TrainingRun run)
    {
        var checkpointFile = CheckpointPath is null ? null : ResolvePath(CheckpointPath);
        var training = new CmdletTraining(this, model, run, checkpointFile);
        if (checkpointFile != null) training.ResumeOrRefuse();
        var results = run.Train(teacher?.Labelled, model.Labelled, Data.Dataset, ValidationData?.Dataset, stop.Token, training);
        if (results.LastOrDefault()?.Cancelled == true) return false;
        training.DeleteStates();
        return true;
    }

    /// <summary>One cmdlet's training run: the progress bar, -CheckpointPath and its states, and what the model records.</summary>
    sealed class CmdletTraining(TrainingCmdlet cmdlet, RefilledModel model, TrainingRun run, string? checkpointFile) : ITrainingRunHost
    {
        TrainingObserver? progress;

        /// <summary>
        /// A state beside the checkpoint resumes the run (-Force starts it over instead); without one, an existing
        /// checkpoint is refused unless -Force.
        /// </summary>
        public void ResumeOrRefuse()
        {
            if (cmdlet.Force) DeleteStates();
            else if (!States().Any(File.Exists)) cmdlet.RefuseToOverwrite(checkpointFile!, force: false);
        }

        public void DeleteStates()
        {
            foreach (var state in States()) File.Delete(state);
        }

        IEnumerable<string> States() => checkpointFile is null ? [] : run.Recipe.Phases().Select(p => StatePath(p.Stage)!);

        /// <summary><c>&lt;checkpoint&gt;.state</c>; a phase other than the recipe's own stage (FitNet's hints) adds its name.</summary>
        public string? StatePath(TrainingStage phase) =>
            checkpointFile is null ? null
            : phase == run.Recipe.Stage ? checkpointFile + ".state"
            : $"{checkpointFile}.{phase.ToString().ToLowerInvariant()}.state";

        /// <summary>
        /// Each save is written through to the disk: on the short epochs of few-shot data, saving every epoch took 14 % of
        /// the quickstart's wall time. A stop loses at most this much training.
        /// </summary>
        public TimeSpan StateInterval => TimeSpan.FromSeconds(10);

        public TrainingPhaseOutput PhaseStarted(StageRecipe phase, TrainingOptions options, TrainingState? resumed)
        {
            if (resumed != null) ForgetStoppedEpochs(phase.Stage);
            progress = new TrainingObserver(cmdlet, $"{phase.Stage} of {model.Architecture}");
            var observer = TensorBoardObserver.Wrap(progress, cmdlet.LogDirectory is null ? null : cmdlet.ResolvePath(cmdlet.LogDirectory),
                model.History.Sum(h => h.Batches) + (resumed?.History.Sum(h => h.Batches) ?? 0));
            var checkpoint = checkpointFile is null ? null : run.Checkpoint(checkpointFile, model.Labelled, phase.Stage, model.Seed);
            if (resumed != null) cmdlet.WriteVerbose($"{phase.Stage}: resuming after epoch {resumed.CompletedEpochs} of {options.Epochs} from '{StatePath(phase.Stage)}'.");
            cmdlet.WriteVerbose($"{phase.Stage}: {model} on {cmdlet.Data} for {options.Epochs} epochs, batch {options.BatchSize}, lr {options.LearningRate}, seed {options.Seed}, {options.Precision}.");
            return new TrainingPhaseOutput(observer, checkpoint);
        }

        /// <summary>
        /// The model stopped earlier in this session (the same object given again) ends with the stopped run's epochs of
        /// <paramref name="phase"/>; the resumed run's history holds them, so they are recorded once.
        /// </summary>
        void ForgetStoppedEpochs(TrainingStage phase)
        {
            var history = model.History;
            if (history.Count == 0 || history[^1].Stage != phase) return;
            // Epochs 1..n of the phase, ending the history.
            var first = history.Count - history[^1].Epoch;
            if (first < 0) return;
            for (var i = first; i < history.Count; i++)
                if (history[i].Stage != phase || history[i].Epoch != i - first + 1) return;
            history.RemoveRange(first, history.Count - first);
        }

        public void PhaseEnded(StageRecipe phase, TrainingResult? result)
        {
            if (result is null) return;
            // Recorded before anything is written: after Ctrl+C the pipeline refuses writes, and the epochs trained still count.
            model.History.AddRange(result.History);
            model.Timings.Add(result.Phases);
            model.Stage = phase.Stage;
            model.TrainingSeed = run.Settings.Seed;
            if (model is Student student)
            {
                student.ValidationMetric = result.BestValidationMetric;
                student.ValidationCrossEntropy = result.BestValidationCrossEntropy;
                student.Lambda = (phase as Stage2Recipe)?.Lambda;
            }
            if (result.Cancelled) cmdlet.WarnStopped(result.StoppedMessage(phase.Stage, phase.Epochs));
            else
            {
                progress?.Complete();
                cmdlet.WriteVerbose(result.Phases.ToString());
            }
        }
    }

    /// <summary>A warning that reaches the user after Ctrl+C too, when the pipeline refuses WriteWarning.</summary>
    void WarnStopped(string message)
    {
        if (Stopping) Host?.UI?.WriteWarningLine(message);
        else WriteWarning(message);
    }
}
