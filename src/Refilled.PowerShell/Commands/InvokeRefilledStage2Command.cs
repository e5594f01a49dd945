using System.Management.Automation;
using Refilled.Engine.Methods;
using Refilled.Engine.Training;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsLifecycle.Invoke, "RefilledStage2")]
[OutputType(typeof(Student))]
public sealed class InvokeRefilledStage2Command : MultiStepTrainingCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public Student Student { get; set; } = null!;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public Teacher Teacher { get; set; } = null!;

    [Parameter]
    [ValidateRange(1e-3, 1e3)]
    public double Tau { get; set; } = TrainingDefaults.Tau2;

    [Parameter]
    [ValidateRange(0.0, 1e6)]
    public double Lambda { get; set; } = TrainingDefaults.Lambda;

    /// <summary>λ is multiplied by this after every epoch (as the paper-era code reads; it cannot run as uploaded); 1 keeps it constant.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double LambdaDecay { get; set; } = TrainingDefaults.LambdaDecay;

    [Parameter]
    public CentreSource Centers { get; set; } = CentreSource.Global;

    protected override object? ErrorTarget => Student;

    protected override void Process()
    {
        Train(Student, Teacher, Recipe(new Stage2Recipe()));
        WriteObject(Student);
    }
}
