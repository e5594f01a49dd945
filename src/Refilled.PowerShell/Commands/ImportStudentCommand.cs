using System.Management.Automation;
using Refilled.Engine.Checkpoints;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsData.Import, "Student")]
[OutputType(typeof(Student))]
public sealed class ImportStudentCommand : RefilledCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string Path { get; set; } = "";

    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    public string Device { get; set; } = "cpu";

    protected override object? ErrorTarget => Path;

    protected override bool PerItemErrors => true;

    protected override void Process()
    {
        var device = ResolveDevice(Device);
        var file = ResolvePath(Path);
        if (!File.Exists(file)) throw new FileNotFoundException($"No student checkpoint at '{file}'.", file);
        var (network, metadata) = ModelCheckpoint.Load(file, device);
        WriteVerbose($"Imported {network.Spec} student from '{file}' onto {device}.");
        WriteObject(new Student(network, metadata.Classes, metadata.Seed, file) { Stage = metadata.Stage, TrainingSeed = metadata.TrainingSeed });
    }
}
