using System.Management.Automation;
using Refilled.Engine.Training;
using Refilled.PowerShell.Objects;
using static TorchSharp.torch;

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
        var student = Student;
        manual_seed(Seed);
        if (recipe.StudentFrom(Teacher?.Labelled, Student.Labelled, Data.Dataset) is { } provided)
        {
            WriteVerbose($"{Method}: the student is the teacher's architecture, {provided.Network.Spec}, not the requested {Student.Architecture}.");
            student = new Student(provided.Network, [.. provided.Classes], Seed, null) { Stage = recipe.Stage };
        }
        foreach (var phase in recipe.Phases())
            if (Train(student, Teacher, phase).Cancelled) break;
        WriteObject(student);
    }
}
