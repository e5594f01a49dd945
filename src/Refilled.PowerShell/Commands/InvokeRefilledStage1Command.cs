using System.Management.Automation;
using Refilled.Engine.Methods;
using Refilled.Engine.Training;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsLifecycle.Invoke, "RefilledStage1")]
[OutputType(typeof(Student))]
public sealed class InvokeRefilledStage1Command : TrainingCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public Student Student { get; set; } = null!;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public Teacher Teacher { get; set; } = null!;

    [Parameter]
    [ValidateRange(1e-3, 1e3)]
    public double Tau { get; set; } = TrainingDefaults.Tau1;

    [Parameter]
    [ValidateRange(1e-6, 2.0)]
    public double Margin { get; set; } = TrainingDefaults.Margin;

    [Parameter]
    public Stage1Variant Variant { get; set; } = Stage1Variant.Triplet;

    protected override object? ErrorTarget => Student;

    protected override void Process()
    {
        Train(Student, Teacher, Recipe(new Stage1Recipe()));
        WriteObject(Student);
    }
}
