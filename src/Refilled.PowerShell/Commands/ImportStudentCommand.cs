using System.Management.Automation;
using Refilled.Engine.Training;
using Refilled.Engine.Checkpoints;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsData.Import, "Student", DefaultParameterSetName = PathSet)]
[OutputType(typeof(Student))]
public sealed class ImportStudentCommand : PathInputCmdlet
{
    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    public string Device { get; set; } = "cpu";

    protected override bool PerItemErrors => true;

    protected override void Process(string file)
    {
        var device = ResolveDevice(Device);
        if (!File.Exists(file)) throw new FileNotFoundException($"No student checkpoint at '{file}'.", file);
        var (network, metadata) = ModelCheckpoint.Load(file, device);
        WriteVerbose($"Imported {network.Spec} student from '{file}' onto {device}.");
        WriteObject(new Student(network, metadata.Classes, metadata.Seed, file) { Stage = TrainingStages.Parse(metadata.Stage), TrainingSeed = metadata.TrainingSeed });
    }
}
