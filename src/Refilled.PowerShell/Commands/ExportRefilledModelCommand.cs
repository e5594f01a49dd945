using System.Management.Automation;
using Refilled.Engine.Checkpoints;
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
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override object? ErrorTarget => Path;

    protected override void Process()
    {
        var file = ResolvePath(Path);
        if (ShouldWrite(file, $"Write {Model.Architecture} {Model.GetType().Name} checkpoint", Force))
        {
            ModelCheckpoint.Save(Model.Network, Model.ToMetadata(), file);
            Model.Path = file;
        }
        if (PassThru) WriteObject(Model);
    }
}
