using System.Management.Automation;
using Refilled.Engine.Experiments;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsData.Export, "RefilledReport", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(FileInfo))]
public sealed class ExportRefilledReportCommand : PathInputCmdlet
{
    [Parameter(Position = 1)]
    public string? OutputPath { get; set; }

    /// <summary>The method every other is compared with, paired by seed (and K).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Reference { get; set; } = ExperimentReport.DefaultReference;

    /// <summary>Draw each run's curve thinly under the mean over seeds.</summary>
    [Parameter]
    public SwitchParameter PerRunCurves { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void Process(string folder)
    {
        var runs = RunRecord.Find(folder);
        if (runs.Count == 0) Fail($"No run folders (with {RunFiles.Config}) under '{folder}'.", "NoRuns", ErrorCategory.ObjectNotFound, folder);
        var output = ResolvePath(OutputPath ?? System.IO.Path.Combine(folder, "report"));
        ClaimOutput(output);
        // -WhatIf prints its line and never fails; a real run refuses to replace any file of an earlier report without -Force.
        if (!ShouldProcess(output, $"Write the report of {runs.Count} runs")) return;
        foreach (var file in ExperimentReport.Files) RefuseToOverwrite(System.IO.Path.Combine(output, file), Force);
        foreach (var file in ExperimentReport.Write(runs, output, Reference, PerRunCurves))
            WriteObject(new FileInfo(file));
    }
}
