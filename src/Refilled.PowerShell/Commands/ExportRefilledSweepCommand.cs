using System.Management.Automation;
using System.Text;
using Refilled.Engine.Checkpoints;
using Refilled.Engine.Experiments;

namespace Refilled.PowerShell.Commands;

/// <summary>Where a sweep is scaled out to.</summary>
public enum SweepFormat
{
    /// <summary>A Slurm batch script with one array task per run.</summary>
    SlurmArray,
}

[Cmdlet(VerbsData.Export, "RefilledSweep", SupportsShouldProcess = true, DefaultParameterSetName = PathSet)]
[OutputType(typeof(FileInfo))]
public sealed class ExportRefilledSweepCommand : PathInputCmdlet
{
    [Parameter(Mandatory = true)]
    public SweepFormat Format { get; set; }

    [Parameter]
    public string? OutputPath { get; set; }

    [Parameter]
    public string? RunOutputPath { get; set; }

    [Parameter]
    public string? Launcher { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void Process(string path)
    {
        var experiment = Experiment.Load(path);
        var folder = System.IO.Path.GetDirectoryName(experiment.SourcePath)!;
        var runs = ResolvePath(RunOutputPath ?? System.IO.Path.Combine(folder, "runs"));
        var moduleFolder = System.IO.Path.GetDirectoryName(typeof(ExportRefilledSweepCommand).Assembly.Location)!;
        var launcher = SweepLauncher.For(moduleFolder, SessionState.Path.CurrentFileSystemLocation.ProviderPath);
        var script = SlurmArrayScript.Create(experiment, System.IO.Path.Combine(moduleFolder, "Refilled.psd1"), runs,
                                             Launcher ?? launcher.Command, launcher.WorkingDirectory);
        var target = ResolvePath(OutputPath ?? System.IO.Path.Combine(folder, experiment.Name + ".slurm.sh"));
        ClaimOutput(target);
        if (!ShouldWrite(target, $"Write a Slurm array script of {experiment.RunCount} tasks", Force)) return;
        // Slurm opens each task's output file before the script runs, so its folder must exist now.
        Directory.CreateDirectory(System.IO.Path.Combine(runs, experiment.Name, "slurm"));
        AtomicFile.WriteAllBytes(target, new UTF8Encoding(false).GetBytes(script));
        WriteObject(new FileInfo(target));
    }
}
