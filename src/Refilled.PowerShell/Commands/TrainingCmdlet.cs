using System.Management.Automation;
using Refilled.Engine.Checkpoints;
using Refilled.Engine.Training;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

/// <summary>Parameters and behaviour shared by every training cmdlet: data, schedule basics, progress, Ctrl+C.</summary>
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
    public int Seed { get; set; }

    [Parameter]
    [ValidateRange(1, 1024)]
    public int? Threads { get; set; }

    [Parameter]
    public string? CheckpointPath { get; set; }

    /// <summary>Lets -CheckpointPath replace an existing file.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Validate every N epochs (and after the last): short epochs need not pay for a pass each.</summary>
    [Parameter]
    [ValidateRange(1, 100_000)]
    public int EvaluateEvery { get; set; } = 1;

    protected override void StopProcessing() => stop.Cancel();

    public void Dispose() => stop.Dispose();

    protected TrainingOptions Options(LearningRateSchedule schedule) => new()
    {
        Epochs = Epochs,
        LearningRate = LearningRate,
        BatchSize = BatchSize,
        Seed = Seed,
        Threads = Threads,
        EvaluateEvery = EvaluateEvery,
        Schedule = schedule,
    };

    /// <summary>Trains <paramref name="model"/> in place on the pipeline thread and records the run on it.</summary>
    protected TrainingResult Train(RefilledModel model, ITrainingObjective objective, TrainingOptions options)
    {
        RequireChannels(model, Data, "training data");
        if (ValidationData != null) RequireChannels(model, ValidationData, "validation data");
        var observer = new TrainingObserver(this, $"{objective.Stage} of {model.Architecture}");
        var checkpointFile = CheckpointPath is null ? null : ResolvePath(CheckpointPath);
        if (checkpointFile != null) RefuseToOverwrite(checkpointFile, Force);
        var checkpoint = checkpointFile is null ? null : new CheckpointFileSink(checkpointFile, () => WithStage(model, objective.Stage));
        WriteVerbose($"{objective.Stage}: {model} on {Data} for {options.Epochs} epochs, batch {options.BatchSize}, lr {options.LearningRate}, seed {options.Seed}.");
        var result = new Trainer(options, objective, observer, checkpoint).Run(model.Network, Data.Dataset, ValidationData?.Dataset, stop.Token);
        observer.Complete();
        model.History.AddRange(result.History);
        model.Stage = objective.Stage;
        model.Seed = options.Seed;
        if (model is Student student) student.ValidationMetric = result.BestValidationMetric;
        if (result.Cancelled) WriteWarning($"{objective.Stage} stopped after {result.History.Count} epochs; the model holds its best weights so far.");
        return result;
    }

    static CheckpointMetadata WithStage(RefilledModel model, string stage)
    {
        var metadata = model.ToMetadata();
        metadata.Stage = stage;
        return metadata;
    }

    /// <summary>A network can only read images with the channel count it was built for.</summary>
    protected void RequireChannels(RefilledModel model, RefilledDataset data, string role)
    {
        if (model.Network.InputShape[0] != data.ImageShape[0])
            Fail($"{model} expects {model.Network.InputShape[0]}-channel images, but the {role} has {data.ImageShape[0]} ({data}).",
                "InputShapeMismatch", ErrorCategory.InvalidOperation, model);
    }

    /// <summary>A classifier trained with labels needs one output per class of the data.</summary>
    protected void RequireClassifierFor(RefilledModel model, RefilledDataset data)
    {
        if (model.NumClasses != data.NumClasses)
            Fail($"{model} has {model.NumClasses} outputs but {data} has {data.NumClasses} classes. " +
                 "Create the student with New-Student -Dataset.", "ClassCountMismatch", ErrorCategory.InvalidArgument, model);
    }
}
