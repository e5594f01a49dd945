using System.Management.Automation;
using Refilled.Engine.Checkpoints;
using Refilled.Engine.Methods;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

/// <summary>
/// Parameters and behaviour shared by every training cmdlet: data, the hyperparameters every stage has, progress, Ctrl+C.
/// A cmdlet fills its stage's recipe from its parameters (same names as the recipe's properties) and trains it.
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
    [ValidateRange(1, 100_000)]
    public int Epochs { get; set; } = TrainingDefaults.Epochs;

    [Parameter]
    [ValidateRange(1e-9, 100.0)]
    public double LearningRate { get; set; } = TrainingDefaults.LearningRate;

    [Parameter]
    [ValidateRange(2, 65_536)]
    public int BatchSize { get; set; } = TrainingDefaults.BatchSize;

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Momentum { get; set; } = TrainingDefaults.Momentum;

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double WeightDecay { get; set; } = TrainingDefaults.WeightDecay;

    [Parameter]
    public bool Nesterov { get; set; } = TrainingDefaults.Nesterov;

    [Parameter]
    public SwitchParameter DropLast { get; set; } = TrainingDefaults.DropLast;

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

    /// <summary>Validate every N epochs (and after the last): short epochs need not pay for a pass each.</summary>
    [Parameter]
    [ValidateRange(1, 100_000)]
    public int EvaluateEvery { get; set; } = TrainingDefaults.EvaluateEvery;

    /// <summary>The run's precision (see <see cref="TrainingOptions.Precision"/>): BFloat16 runs the frozen teacher and the student's convolutions in bfloat16.</summary>
    [Parameter]
    public Precision Precision { get; set; } = Precision.Float32;

    protected override void Begin() => RequireSupported(Precision);

    protected override void StopProcessing() => stop.Cancel();

    public void Dispose() => stop.Dispose();

    /// <summary>
    /// <paramref name="recipe"/> with every hyperparameter given as the cmdlet parameter of the same name; those not given
    /// keep the recipe's value (its default, equal to the parameter's, or a schedule preset's).
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

    /// <summary>Trains <paramref name="model"/> in place on the pipeline thread with <paramref name="recipe"/> and records the run on it.</summary>
    protected TrainingResult Train(RefilledModel model, RefilledModel? teacher, StageRecipe recipe)
    {
        var checkpointFile = CheckpointPath is null ? null : ResolvePath(CheckpointPath);
        if (checkpointFile != null) RefuseToOverwrite(checkpointFile, Force);
        var (objective, options) = recipe.Build(teacher?.Labelled, model.Labelled, Data.Dataset, new TrainingOptions { Seed = Seed, Threads = Threads, Precision = Precision });
        if (ValidationData != null) recipe.Validate(teacher?.Labelled, model.Labelled, ValidationData.Dataset);
        var progress = new TrainingObserver(this, $"{recipe.Stage} of {model.Architecture}");
        var observer = TensorBoardObserver.Wrap(progress, LogDirectory is null ? null : ResolvePath(LogDirectory), model.History.Sum(h => h.Batches));
        var checkpoint = checkpointFile is null ? null : new CheckpointFileSink(checkpointFile, () => During(model, recipe.Stage, options.Seed));
        WriteVerbose($"{recipe.Stage}: {model} on {Data} for {options.Epochs} epochs, batch {options.BatchSize}, lr {options.LearningRate}, seed {options.Seed}, {options.Precision}.");
        var result = new Trainer(options, objective, observer, checkpoint).Run(model.Network, Data.Dataset, ValidationData?.Dataset, stop.Token);
        // Recorded before anything is written: after Ctrl+C the pipeline refuses writes, and the epochs trained still count.
        model.History.AddRange(result.History);
        model.Timings.Add(result.Phases);
        model.Stage = recipe.Stage;
        model.TrainingSeed = options.Seed;
        if (model is Student student)
        {
            student.ValidationMetric = result.BestValidationMetric;
            student.ValidationCrossEntropy = result.BestValidationCrossEntropy;
            student.Lambda = (recipe as Stage2Recipe)?.Lambda;
        }
        if (result.Cancelled) WarnStopped(result.StoppedMessage(recipe.Stage, options.Epochs));
        else
        {
            progress.Complete();
            WriteVerbose(result.Phases.ToString());
        }
        return result;
    }

    /// <summary>A warning that reaches the user after Ctrl+C too, when the pipeline refuses WriteWarning.</summary>
    void WarnStopped(string message)
    {
        if (Stopping) Host?.UI?.WriteWarningLine(message);
        else WriteWarning(message);
    }

    /// <summary>What a checkpoint written during the run records: the run's stage and seed.</summary>
    static CheckpointMetadata During(RefilledModel model, TrainingStage stage, int seed)
    {
        var metadata = model.ToMetadata();
        metadata.Stage = stage.ToString();
        metadata.TrainingSeed = seed;
        return metadata;
    }
}
