using System.Management.Automation;
using Refilled.Engine.Training;
using Refilled.Engine.Checkpoints;
using Refilled.Engine.Networks;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsData.Import, "Teacher", DefaultParameterSetName = PathSet)]
[OutputType(typeof(Teacher))]
public sealed class ImportTeacherCommand : PathInputCmdlet
{
    /// <summary>Required for PyTorch files, which do not record their architecture.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(ArchitectureCompleter))]
    public string? Architecture { get; set; }

    /// <summary>The original label ids behind a PyTorch teacher's outputs (default 0..n-1).</summary>
    [Parameter]
    [ClassListTransformation]
    public int[]? Classes { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    public string Device { get; set; } = "cpu";

    protected override bool PerItemErrors => true;

    // A bad -Architecture is wrong for every path: it stops the cmdlet before the first one.
    protected override void Begin()
    {
        if (Architecture != null) NetworkSpec.Parse(Architecture);
    }

    protected override void Process(string file)
    {
        var device = ResolveDevice(Device);
        if (!File.Exists(file)) throw new FileNotFoundException($"No teacher checkpoint at '{file}'.", file);
        if (!PyTorchCheckpointImporter.IsPyTorchFile(file))
        {
            var (network, metadata) = ModelCheckpoint.Load(file, device);
            if (Architecture != null && NetworkSpec.Parse(Architecture).ToString() != network.Spec.ToString())
                Fail($"'{file}' holds a {network.Spec} network, not {Architecture}.", "ArchitectureMismatch", ErrorCategory.InvalidData, file);
            WriteObject(new Teacher(network, Classes ?? metadata.Classes, metadata.Seed, file) { Stage = TrainingStages.Parse(metadata.Stage), TrainingSeed = metadata.TrainingSeed });
            return;
        }
        if (Architecture is null)
            Fail($"'{file}' is a PyTorch checkpoint, which does not record its architecture: name it with -Architecture (for example wrn-40-2).",
                "ArchitectureRequired", ErrorCategory.InvalidArgument, file);
        var imported = PyTorchCheckpointImporter.Load(file, NetworkSpec.Parse(Architecture!), Classes?.Length, device: device);
        WriteVerbose($"Imported {imported.Spec} ({imported.NumClasses} classes, embedding {imported.EmbeddingSize}) from '{file}' onto {device}.");
        WriteObject(new Teacher(imported, Classes ?? Enumerable.Range(0, imported.NumClasses).ToArray(), null, file));
    }
}
