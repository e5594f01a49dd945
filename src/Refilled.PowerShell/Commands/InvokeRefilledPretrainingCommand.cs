using System.Management.Automation;
using Refilled.Engine.Methods;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsLifecycle.Invoke, "RefilledPretraining")]
[OutputType(typeof(Teacher))]
[RecipeParameters(typeof(PretrainingRecipe))]
public sealed partial class InvokeRefilledPretrainingCommand : TrainingCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(ArchitectureCompleter))]
    public string Architecture { get; set; } = "";

    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    public string Device { get; set; } = "cpu";

    protected override object? ErrorTarget => Architecture;

    protected override void Process()
    {
        var run = NewRun(Recipe(new PretrainingRecipe()));
        var network = NetworkSpec.Parse(Architecture).Initialise(Data.NumClasses, Seed, ResolveDevice(Device));
        var teacher = new Teacher(network, Data.Classes, Seed, null);
        Train(teacher, null, run);
        if (CheckpointPath != null) teacher.Path = ResolvePath(CheckpointPath);
        WriteObject(teacher);
    }
}
