using System.Management.Automation;
using Refilled.Engine.Networks;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsCommon.New, "Student", DefaultParameterSetName = DatasetSet)]
[OutputType(typeof(Student))]
public sealed class NewStudentCommand : RefilledCmdlet
{
    const string DatasetSet = "Dataset", IdsSet = "ClassIds", CountSet = "ClassCount";

    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(ArchitectureCompleter))]
    public string Architecture { get; set; } = "";

    /// <summary>The real class ids behind the outputs, as every other -Classes takes them (5..9).</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdsSet)]
    [ClassListTransformation]
    public int[] Classes { get; set; } = [];

    /// <summary>A number of classes, labelled 0..n-1, for a student not tied to a dataset.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CountSet)]
    [ValidateRange(2, 100_000)]
    public int ClassCount { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = DatasetSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
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
        // -Classes 5 once meant five classes: a single id now says how to ask for a count, instead of building one output.
        if (ParameterSetName == IdsSet && Classes.Length < 2)
            Fail($"-Classes lists class ids (for example 5..9) and a student needs at least two; for a number of classes use -ClassCount {string.Join(",", Classes)}.",
                "TooFewClasses", ErrorCategory.InvalidArgument, Classes);
        var classes = ParameterSetName switch
        {
            DatasetSet => Dataset.Classes,
            IdsSet => Classes,
            _ => Enumerable.Range(0, ClassCount).ToArray(),
        };
        var network = NetworkSpec.Parse(Architecture).Initialise(classes.Length, Seed, device);
        WriteVerbose($"New {network.Spec} student on {device}: {classes.Length} classes, embedding {network.EmbeddingSize}, seed {Seed}.");
        WriteObject(new Student(network, classes, Seed, null));
    }
}
