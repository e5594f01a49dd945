using System.Management.Automation;
using Refilled.Engine.Methods;
using Refilled.Engine.Training;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsLifecycle.Invoke, "RefilledStage2")]
[OutputType(typeof(Student))]
[RecipeParameters(typeof(Stage2Recipe))]
public sealed partial class InvokeRefilledStage2Command : TrainingCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public Student Student { get; set; } = null!;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public Teacher Teacher { get; set; } = null!;

    protected override object? ErrorTarget => Student;

    protected override void Process()
    {
        Train(Student, Teacher, NewRun(Recipe(new Stage2Recipe())));
        WriteObject(Student);
    }
}
