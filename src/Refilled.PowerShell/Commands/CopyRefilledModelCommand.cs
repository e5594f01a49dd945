using System.Management.Automation;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsCommon.Copy, "RefilledModel")]
[OutputType(typeof(Student), typeof(Teacher))]
public sealed class CopyRefilledModelCommand : RefilledCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("Student", "Teacher")]
    public RefilledModel Model { get; set; } = null!;

    protected override object? ErrorTarget => Model;

    protected override void Process() => WriteObject(Model.Copy());
}
