using System.Management.Automation;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsLifecycle.Invoke, "RefilledPretraining")]
[OutputType(typeof(Teacher))]
public sealed class InvokeRefilledPretrainingCommand : TrainingCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(ArchitectureCompleter))]
    public string Architecture { get; set; } = "";

    [Parameter]
    public int[]? Milestones { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Gamma { get; set; } = TrainingDefaults.Gamma;

    protected override object? ErrorTarget => Architecture;

    protected override void Process()
    {
        var teacher = new Teacher(NetworkFactory.Create(Architecture, Data, Seed), Data.Classes, Seed, null);
        var schedule = LearningRateSchedule.MultiStep(LearningRate, Milestones ?? TrainingDefaults.Milestones(Epochs), Gamma);
        Train(teacher, new CrossEntropyObjective("Pretraining"), Options(schedule));
        if (CheckpointPath != null) teacher.Path = ResolvePath(CheckpointPath);
        WriteObject(teacher);
    }
}
