using System.Management.Automation;
using Refilled.Engine.Checkpoints;
using Refilled.Engine.Data;
using Refilled.Engine.Experiments;
using Refilled.Engine.Training;

namespace Refilled.PowerShell.Commands;

/// <summary>
/// Base of every Refilled cmdlet: turns engine exceptions into ErrorRecords with an id, a category and the
/// offending target, so that users see a PowerShell error and never a libtorch stack dump.
/// </summary>
public abstract class RefilledCmdlet : PSCmdlet
{
    protected sealed override void ProcessRecord() => Run(Process);

    protected sealed override void EndProcessing() => Run(End);

    /// <summary>The cmdlet's work for one pipeline record.</summary>
    protected abstract void Process();

    /// <summary>The cmdlet's work after the last pipeline record, e.g. on everything <see cref="Process"/> collected.</summary>
    protected virtual void End()
    {
    }

    private void Run(Action work)
    {
        try
        {
            work();
        }
        // RuntimeExceptions are PowerShell's own (ThrowTerminatingError, a stopped pipeline): let them through.
        catch (Exception e) when (e is not RuntimeException)
        {
            ThrowTerminatingError(ToErrorRecord(e, ErrorTarget));
        }
    }

    /// <summary>What an error is about when the exception does not say (the model, the path, …).</summary>
    protected virtual object? ErrorTarget => null;

    internal static ErrorRecord ToErrorRecord(Exception e, object? target)
    {
        var (id, category) = e switch
        {
            FileNotFoundException or DirectoryNotFoundException => ("FileNotFound", ErrorCategory.ObjectNotFound),
            UnsafePickleException => ("UnsafePickle", ErrorCategory.SecurityError),
            UnsafeArchiveEntryException => ("UnsafeArchiveEntry", ErrorCategory.SecurityError),
            CheckpointFormatException => ("CorruptCheckpoint", ErrorCategory.InvalidData),
            ArchitectureMismatchException => ("ArchitectureMismatch", ErrorCategory.InvalidData),
            DatasetFormatException => ("CorruptDataset", ErrorCategory.InvalidData),
            TrainingDivergedException => ("LossNotFinite", ErrorCategory.InvalidResult),
            ArgumentException => ("InvalidArgument", ErrorCategory.InvalidArgument),
            InvalidOperationException => ("InvalidOperation", ErrorCategory.InvalidOperation),
            UnauthorizedAccessException => ("AccessDenied", ErrorCategory.PermissionDenied),
            IOException => ("IOError", ErrorCategory.WriteError),
            _ => ("EngineError", ErrorCategory.NotSpecified),
        };
        target ??= e switch
        {
            FileNotFoundException f => f.FileName,
            CheckpointFormatException c => c.Path,
            DatasetFormatException d => d.FilePath,
            UnsafeArchiveEntryException a => a.ArchivePath,
            ExperimentValidationException x => x.Errors[0].File,
            _ => null,
        };
        return new ErrorRecord(e, "Refilled." + id, category, target);
    }

    /// <summary>Stops the cmdlet with a clear error that is not an engine exception.</summary>
    protected void Fail(string message, string id, ErrorCategory category, object? target) =>
        ThrowTerminatingError(new ErrorRecord(new InvalidOperationException(message), "Refilled." + id, category, target));

    /// <summary>Refuses to replace an existing file unless the user said -Force.</summary>
    protected void RefuseToOverwrite(string file, bool force)
    {
        if (File.Exists(file) && !force)
            Fail($"'{file}' exists. Use -Force to replace it.", "FileExists", ErrorCategory.ResourceExists, file);
    }

    /// <summary>A user-given path, resolved against the current PowerShell location.</summary>
    protected string ResolvePath(string path) => GetUnresolvedProviderPathFromPSPath(path);
}
