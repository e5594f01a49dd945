using System.Management.Automation;
using Refilled.Engine.Experiments;
using Refilled.Engine.Training;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsLifecycle.Invoke, "RefilledExperiment", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(RunResult))]
public sealed class InvokeRefilledExperimentCommand : PathInputCmdlet, IDisposable, IExperimentHost
{
    readonly CancellationTokenSource stop = new();

    [Parameter]
    public string? OutputPath { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? RunIndex { get; set; }

    protected override void StopProcessing() => stop.Cancel();

    public void Dispose() => stop.Dispose();

    protected override void Process(string path)
    {
        // Nothing is written before the whole file validates (a precision this CPU lacks: before a run's folder exists).
        var experiment = Experiment.Load(path);
        var runs = experiment.Expand();
        if (RunIndex is int index)
        {
            if (index >= runs.Count)
                Fail($"'{experiment.Name}' has {runs.Count} runs (0..{runs.Count - 1}); there is no run {index}.", "RunIndexOutOfRange",
                    ErrorCategory.InvalidArgument, index);
            runs = [runs[index]];
        }
        var output = ResolvePath(OutputPath ?? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(experiment.SourcePath)!, "runs"));
        var runner = new ExperimentRunner(output, this);
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            var label = $"run {run.Index} ({run.Id})";
            if (!ShouldProcess(runner.FolderOf(run), $"Run {experiment.Name} {label}")) continue;
            if (stop.IsCancellationRequested) break;
            WriteProgress(new ProgressRecord(0, $"Experiment {experiment.Name}", $"Run {i + 1} of {runs.Count}: {run.Id}")
            {
                PercentComplete = 100 * i / runs.Count,
            });
            var result = runner.Run(run, stop.Token);
            WriteObject(WithHyperparameterColumns(result));
            // A run that cannot run is an error, so that a Slurm task given -ErrorAction Stop exits non-zero.
            if (result.Status == RunStatus.Locked)
                WriteError(new ErrorRecord(new InvalidOperationException(
                        $"Run {label} of '{experiment.Name}' is running in another live process (its run.lock is held); not run here."),
                    "Refilled.RunLocked", ErrorCategory.ResourceBusy, result.Path));
            if (result.Status == RunStatus.Cancelled)
            {
                WriteWarning($"Stopped during {label}; invoke the experiment again to resume it from its last completed epoch.");
                break;
            }
        }
        WriteProgress(new ProgressRecord(0, $"Experiment {experiment.Name}", "Done") { RecordType = ProgressRecordType.Completed });
    }

    /// <summary>The result with each hyperparameter also a property of its own (stage2.lambda), so that Export-Csv writes it as a column.</summary>
    static PSObject WithHyperparameterColumns(RunResult result)
    {
        var row = PSObject.AsPSObject(result);
        foreach (var (key, value) in result.Hyperparameters) row.Properties.Add(new PSNoteProperty(key, value));
        return row;
    }

    void IExperimentHost.Warning(string message) => WriteWarning(message);

    void IExperimentHost.Verbose(string message) => WriteVerbose(message);

    ITrainingObserver? IExperimentHost.StageStarted(ExperimentRun run, TrainingStage stage) =>
        new TrainingObserver(this, $"{stage} of run {run.Index} ({run.Id})", parentActivityId: 0);

    void IExperimentHost.StageEnded(ITrainingObserver? observer) => (observer as TrainingObserver)?.Complete();
}
