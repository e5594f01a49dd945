using System.Management.Automation;
using Refilled.Engine.Experiments;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsCommon.Get, "RefilledRun", DefaultParameterSetName = PathSet)]
[OutputType(typeof(RunRecord))]
public sealed class GetRefilledRunCommand : PathInputCmdlet
{
    [Parameter]
    public string? OutputPath { get; set; }

    protected override bool PerItemErrors => true;

    protected override void Process(string path)
    {
        foreach (var run in RunRecord.Find(path, OutputPath is null ? null : ResolvePath(OutputPath))) WriteObject(run);
    }
}
