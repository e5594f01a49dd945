using System.Management.Automation;
using Refilled.Engine.Networks;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsCommon.New, "Student", DefaultParameterSetName = DatasetSet)]
[OutputType(typeof(Student))]
public sealed class NewStudentCommand : RefilledCmdlet
{
    const string DatasetSet = "Dataset", CountSet = "ClassCount";

    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(ArchitectureCompleter))]
    public string Architecture { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = CountSet)]
    [ValidateRange(2, 100_000)]
    public int Classes { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = DatasetSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Data")]
    public RefilledDataset Dataset { get; set; } = null!;

    [Parameter]
    public int Seed { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(DeviceCompleter))]
    public string Device { get; set; } = "cpu";

    protected override object? ErrorTarget => Architecture;

    protected override void Process()
    {
        var device = ResolveDevice(Device);
        var classes = ParameterSetName == DatasetSet ? Dataset.Classes : Enumerable.Range(0, Classes).ToArray();
        var network = NetworkSpec.Parse(Architecture).Initialise(classes.Length, Seed, device);
        WriteVerbose($"New {network.Spec} student on {device}: {classes.Length} classes, embedding {network.EmbeddingSize}, seed {Seed}.");
        WriteObject(new Student(network, classes, Seed, null));
    }
}
