using System.Management.Automation;
using Refilled.Engine.Training;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsLifecycle.Invoke, "RefilledBaseline")]
[OutputType(typeof(Student))]
[RecipeParameters(typeof(BaselineRecipe), IncludeDerived = true)]
public sealed partial class InvokeRefilledBaselineCommand : TrainingCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public BaselineMethod Method { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public Student Student { get; set; } = null!;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Teacher? Teacher { get; set; }

    /// <summary>A named budget (epochs, lr, batch, milestones, gamma, Nesterov, momentum, weight decay); parameters given beside it override single values.</summary>
    [Parameter]
    public SchedulePreset? Schedule { get; set; }

    protected override object? ErrorTarget => Student;

    protected override void Process()
    {
        var method = BaselineRecipe.For(Method);
        var recipe = Recipe(Schedule is { } preset ? SchedulePresets.Apply(method, preset) : method);
        var run = NewRun(recipe);
        var student = Student;
        var trained = run.Student(Teacher?.Labelled, Student.Labelled, Data.Dataset);
        if (!ReferenceEquals(trained.Network, Student.Network))
        {
            WriteVerbose($"{Method}: the student is the teacher's architecture, {trained.Network.Spec}, not the requested {Student.Architecture}.");
            student = new Student(trained.Network, [.. trained.Classes], Seed, null) { Stage = recipe.Stage };
        }
        Train(student, Teacher, run);
        WriteObject(student);
    }
}
