using System.Management.Automation;
using Refilled.Engine.Methods;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsLifecycle.Invoke, "RefilledPretraining")]
[OutputType(typeof(Teacher))]
public sealed class InvokeRefilledPretrainingCommand : MultiStepTrainingCmdlet
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
        var network = NetworkSpec.Parse(Architecture).Initialise(Data.NumClasses, Seed, ResolveDevice(Device));
        var teacher = new Teacher(network, Data.Classes, Seed, null);
        Train(teacher, null, Recipe(new PretrainingRecipe()));
        if (CheckpointPath != null) teacher.Path = ResolvePath(CheckpointPath);
        WriteObject(teacher);
    }
}
