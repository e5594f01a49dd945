using System.Management.Automation;
using Refilled.Engine.Checkpoints;
using Refilled.Engine.Checkpoints.Onnx;
using Refilled.Engine.Data;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsData.Export, "RefilledModel", SupportsShouldProcess = true)]
[OutputType(typeof(RefilledModel))]
public sealed class ExportRefilledModelCommand : RefilledCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [Alias("Student", "Teacher")]
    public RefilledModel Model { get; set; } = null!;

    /// <summary>A new file's name is taken as typed (no wildcards), so -LiteralPath names the same parameter.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("LiteralPath")]
    public string Path { get; set; } = "";

    [Parameter]
    public ModelFormat Format { get; set; } = ModelFormat.Refilled;

    /// <summary>-Format Onnx: the data the model was trained on, for the normalisation the graph applies and the class names.</summary>
    [Parameter]
    public RefilledDataset? Data { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override object? ErrorTarget => Path;

    protected override void Begin()
    {
        if (Data is not null && Format != ModelFormat.Onnx)
            Fail("-Data only applies to -Format Onnx (a Refilled checkpoint does not depend on the data).", "InvalidArgument", ErrorCategory.InvalidArgument, Data);
    }

    protected override void Process()
    {
        var file = ResolvePath(Path);
        if (Format == ModelFormat.Onnx)
        {
            var metadata = OnnxMetadata();
            if (ShouldWrite(file, $"Write {Model.Architecture} {Model.GetType().Name} as an ONNX model", Force))
                OnnxExporter.Export(Model.Network, metadata, file);
        }
        else if (ShouldWrite(file, $"Write {Model.Architecture} {Model.GetType().Name} checkpoint", Force))
        {
            ModelCheckpoint.Save(Model.Network, Model.ToMetadata(), file);
            Model.Path = file;
        }
        if (PassThru) WriteObject(Model);
    }

    // The normalisation of -Data's test images, else the one catalog dataset with the model's input shape.
    OnnxModelMetadata OnnxMetadata()
    {
        var input = Model.Network.InputShape;
        if (Data is not null && !Data.ImageShape.SequenceEqual(input))
            Fail($"{Model} takes {string.Join("×", input)} images; {Data} has {string.Join("×", Data.ImageShape)}.",
                "InputShapeMismatch", ErrorCategory.InvalidArgument, Data);
        var normalisation = Data?.Dataset.TestTransform.Normalisation ?? DatasetCatalog.NormalisationFor(input);
        if (normalisation is null)
            Fail($"No single dataset of the catalog has {string.Join("×", input)} images (none does, or several with different normalisations, as MNIST and Fashion-MNIST), so the normalisation {Model} was trained with is unknown: give the training data with -Data.",
                "NormalisationUnknown", ErrorCategory.InvalidArgument, Model);
        string[]? names = null;
        if (Data?.Dataset.ClassNames is { } dataNames)
        {
            var missing = Model.Classes.Where(c => !Data.Classes.Contains(c)).ToArray();
            if (missing.Length > 0)
                Fail($"{Data} has no class {string.Join(", ", missing)} of {Model}: its class names cannot be written.",
                    "ClassMismatch", ErrorCategory.InvalidArgument, Data);
            names = [.. Model.Classes.Select(c => dataNames[Array.IndexOf(Data.Classes, c)])];
        }
        return new OnnxModelMetadata(Model.Architecture, Model.Classes, names, normalisation!);
    }
}
