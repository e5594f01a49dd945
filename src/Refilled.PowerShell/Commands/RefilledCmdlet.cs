using System.Management.Automation;
using Refilled.Engine.Checkpoints;
using Refilled.Engine.Data;
using Refilled.Engine.Runtime;
using Refilled.Engine.Experiments;
using Refilled.Engine.Training;

namespace Refilled.PowerShell.Commands;

/// <summary>
/// Base of every Refilled cmdlet: turns engine exceptions into ErrorRecords with an id, a category and the
/// offending target, so that users see a PowerShell error and never a libtorch stack dump.
/// </summary>
public abstract partial class RefilledCmdlet : PSCmdlet
{
    protected sealed override void BeginProcessing() => Run(Begin, perItem: false);

    protected sealed override void ProcessRecord() => Run(Process, PerItemErrors);

    protected sealed override void EndProcessing() => Run(End, perItem: false);

    /// <summary>
    /// True for cmdlets that take many items from the pipeline (paths): a bad item becomes a non-terminating error and
    /// the next one is processed. Errors in <see cref="Begin"/> (the parameters) still stop the cmdlet.
    /// </summary>
    protected virtual bool PerItemErrors => false;

    /// <summary>Checks the parameters once, before the first pipeline record.</summary>
    protected virtual void Begin()
    {
    }

    /// <summary>The cmdlet's work for one pipeline record.</summary>
    protected abstract void Process();

    /// <summary>The cmdlet's work after the last pipeline record, e.g. on everything <see cref="Process"/> collected.</summary>
    protected virtual void End()
    {
    }

    private void Run(Action work, bool perItem)
    {
        try
        {
            work();
        }
        catch (FailureException f)
        {
            if (perItem) WriteError(f.Record);
            else ThrowTerminatingError(f.Record);
        }
        // RuntimeExceptions are PowerShell's own (ThrowTerminatingError, a stopped pipeline): let them through.
        catch (Exception e) when (e is not RuntimeException)
        {
            if (perItem) WriteError(ToErrorRecord(e, ErrorTarget));
            else ThrowTerminatingError(ToErrorRecord(e, ErrorTarget));
        }
    }

    /// <summary>Carries a <see cref="Fail"/> error to <see cref="Run"/>, which decides whether it ends the cmdlet.</summary>
    sealed class FailureException(ErrorRecord record) : Exception(record.Exception.Message)
    {
        public ErrorRecord Record { get; } = record;
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
            UnsafePathException => ("UnsafePath", ErrorCategory.SecurityError),
            CheckpointFormatException => ("CorruptCheckpoint", ErrorCategory.InvalidData),
            ArchitectureMismatchException => ("ArchitectureMismatch", ErrorCategory.InvalidData),
            DatasetFormatException => ("CorruptDataset", ErrorCategory.InvalidData),
            TrainingDivergedException => ("LossNotFinite", ErrorCategory.InvalidResult),
            DeviceUnavailableException => ("DeviceUnavailable", ErrorCategory.ResourceUnavailable),
            PrecisionNotSupportedException => ("PrecisionNotSupported", ErrorCategory.ResourceUnavailable),
            StageRuleException rule => (rule.ErrorId, rule.IsArgument ? ErrorCategory.InvalidArgument : ErrorCategory.InvalidOperation),
            DatasetRequestException request => (request.ErrorId, ErrorCategory.InvalidArgument),
            ArgumentException => ("InvalidArgument", ErrorCategory.InvalidArgument),
            InvalidOperationException => ("InvalidOperation", ErrorCategory.InvalidOperation),
            UnauthorizedAccessException => ("AccessDenied", ErrorCategory.PermissionDenied),
            IOException => ("IOError", ErrorCategory.WriteError),
            _ => ("EngineError", ErrorCategory.NotSpecified),
        };
        // These name a file the user did not pass (a run folder's lock, log or config.yaml): it is the target.
        if (e is UnsafePathException or ExperimentValidationException) target = null;
        // A rule's own target is the offending value (a class list); an engine network stands for the cmdlet's model.
        if (e is StageRuleException { Target: { } offending and not LabelledNetwork }) target = offending;
        if (e is DatasetRequestException { Value: { } value }) target = value;
        if (e is PrecisionNotSupportedException precision) target = precision.Precision;
        // .NET appends "(Parameter 'x')" and "Actual value was …" to argument errors: the user sees the sentence, and the value as target.
        if (e is ArgumentException { ParamName: not null } argument)
        {
            target ??= (argument as ArgumentOutOfRangeException)?.ActualValue;
            e = new ArgumentException(ArgumentMessage().Replace(argument.Message, ""), argument);
        }
        target ??= e switch
        {
            FileNotFoundException f => f.FileName,
            CheckpointFormatException c => c.Path,
            DatasetFormatException d => d.FilePath,
            DeviceUnavailableException d => d.Device.ToString(),
            UnsafeArchiveEntryException a => a.ArchivePath,
            UnsafePathException p => p.Path,
            ExperimentValidationException x => x.Errors[0].File,
            _ => null,
        };
        return new ErrorRecord(e, "Refilled." + id, category, target);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@" \(Parameter '[^']*'\)|\r?\nActual value was .*", System.Text.RegularExpressions.RegexOptions.Singleline)]
    private static partial System.Text.RegularExpressions.Regex ArgumentMessage();

    /// <summary>Stops the cmdlet with a clear error that is not an engine exception.</summary>
    protected static void Fail(string message, string id, ErrorCategory category, object? target) =>
        throw new FailureException(new ErrorRecord(new InvalidOperationException(message), "Refilled." + id, category, target));

    /// <summary>
    /// Whether to write <paramref name="file"/>: ShouldProcess first, so that -WhatIf prints its line and never fails,
    /// then the refusal to replace an existing file without -Force.
    /// </summary>
    protected bool ShouldWrite(string file, string action, bool force)
    {
        if (!ShouldProcess(file, File.Exists(file) ? action + ", replacing the file" : action)) return false;
        RefuseToOverwrite(file, force);
        return true;
    }

    /// <summary>Refuses to replace an existing file unless the user said -Force.</summary>
    protected void RefuseToOverwrite(string file, bool force)
    {
        if (File.Exists(file) && !force)
            Fail($"'{file}' exists. Use -Force to replace it.", "FileExists", ErrorCategory.ResourceExists, file);
    }

    /// <summary>
    /// A -Device value as a device this session can use; otherwise a terminating error whose target is the value:
    /// InvalidArgument for a misspelling or meta (shapes without values), ResourceUnavailable for CUDA on a CPU build
    /// or a GPU number that does not exist.
    /// </summary>
    protected DeviceSpec ResolveDevice(string device)
    {
        DeviceSpec? spec = null;
        try
        {
            spec = DeviceSpec.Parse(device);
        }
        catch (ArgumentException e)
        {
            Fail(e.Message, "InvalidDevice", ErrorCategory.InvalidArgument, device);
        }
        if (spec == DeviceSpec.Meta)
            Fail("The meta device holds shapes without values: a model there can neither train nor be measured. Use cpu or cuda.",
                "InvalidDevice", ErrorCategory.InvalidArgument, device);
        try
        {
            spec!.EnsureAvailable();
        }
        catch (DeviceUnavailableException e)
        {
            ThrowTerminatingError(new ErrorRecord(e, "Refilled.DeviceUnavailable", ErrorCategory.ResourceUnavailable, device));
        }
        return spec!;
    }

    /// <summary>A user-given path, resolved against the current PowerShell location.</summary>
    protected string ResolvePath(string path) => GetUnresolvedProviderPathFromPSPath(path);
}
