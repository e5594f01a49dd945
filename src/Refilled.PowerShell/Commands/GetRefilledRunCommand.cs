using System.Management.Automation;
using Refilled.Engine.Experiments;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsCommon.Get, "RefilledRun")]
[OutputType(typeof(RunRecord))]
public sealed class GetRefilledRunCommand : RefilledCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string Path { get; set; } = "";

    [Parameter]
    public string? OutputPath { get; set; }

    protected override object? ErrorTarget => Path;

    protected override bool PerItemErrors => true;

    protected override void Process()
    {
        foreach (var run in RunRecord.Find(ResolvePath(Path), OutputPath is null ? null : ResolvePath(OutputPath))) WriteObject(run);
    }
}
