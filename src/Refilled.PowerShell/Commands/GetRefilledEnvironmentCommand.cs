using System.Management.Automation;
using Refilled.Engine.Runtime;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsCommon.Get, "RefilledEnvironment")]
[OutputType(typeof(RefilledEnvironment))]
public sealed class GetRefilledEnvironmentCommand : PSCmdlet
{
    protected override void EndProcessing() => WriteObject(new RefilledEnvironment(TorchRuntime.Describe()));
}
