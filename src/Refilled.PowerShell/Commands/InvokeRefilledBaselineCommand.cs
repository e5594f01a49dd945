using System.Management.Automation;
using Refilled.Engine.Training;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsLifecycle.Invoke, "RefilledBaseline")]
[OutputType(typeof(Student))]
public sealed class InvokeRefilledBaselineCommand : MultiStepTrainingCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public BaselineMethod Method { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public Student Student { get; set; } = null!;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Teacher? Teacher { get; set; }

    [Parameter]
    [ValidateRange(1e-3, 1e3)]
    public double Temperature { get; set; } = TrainingDefaults.KdTemperature;

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Alpha { get; set; } = TrainingDefaults.KdAlpha;

    protected override object? ErrorTarget => Student;

    protected override void Process()
    {
        Train(Student, Teacher, Recipe(BaselineRecipe.For(Method)));
        WriteObject(Student);
    }
}
