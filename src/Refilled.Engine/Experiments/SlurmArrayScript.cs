using System.Text;

namespace Refilled.Engine.Experiments;

/// <summary>
/// A Slurm batch script whose array task i runs run i of an experiment (<c>-RunIndex $SLURM_ARRAY_TASK_ID</c>), with the
/// experiment's resources. Runs are resumable and locked, so a requeued or repeated task is safe.
/// </summary>
public static class SlurmArrayScript
{
    /// <param name="launcher">The command that starts PowerShell on the nodes, e.g. "dotnet pwsh" or "pwsh".</param>
    /// <param name="workingDirectory">Where tasks start (for "dotnet pwsh", a folder with the tool manifest).</param>
    public static string Create(Experiment experiment, string modulePath, string outputPath, string launcher, string workingDirectory)
    {
        var yaml = experiment.SourcePath ?? throw new ArgumentException("The experiment must come from a file that the tasks can read.");
        foreach (var (what, text) in new[] { ("module path", modulePath), ("experiment path", yaml), ("output path", outputPath), ("working directory", workingDirectory) })
            if (text.IndexOfAny(['\'', '"', '$', '`', '\\', '\n']) >= 0)
                throw new ArgumentException($"The {what} '{text}' contains a quote, '$', '`' or '\\', which the script cannot pass safely.");
        var runs = experiment.Expand();
        var r = experiment.Base.Resources;
        var logs = Path.Combine(outputPath, experiment.Name, "slurm");
        var s = new StringBuilder();
        s.Append("#!/bin/bash\n");
        s.Append($"#SBATCH --job-name={experiment.Name}\n");
        s.Append($"#SBATCH --array=0-{runs.Count - 1}\n");
        s.Append("#SBATCH --ntasks=1\n");
        s.Append($"#SBATCH --cpus-per-task={r.Cpus}\n");
        s.Append($"#SBATCH --mem={r.Mem}\n");
        s.Append($"#SBATCH --time={r.Time}\n");
        if (r.Partition is { Length: > 0 } partition) s.Append($"#SBATCH --partition={partition}\n");
        s.Append($"#SBATCH --output={logs}/%A_%a.out\n");
        // Requeued tasks (scontrol requeue, a failed node) resume their run; their output continues the same file.
        s.Append("#SBATCH --requeue\n");
        s.Append("#SBATCH --open-mode=append\n");
        s.Append("#\n# Written by Export-RefilledSweep. Array index -> run (folder under the output path):\n");
        foreach (var run in runs) s.Append($"#   {run.Index,4}  {experiment.Name}/{run.Id}\n");
        s.Append("set -euo pipefail\n");
        s.Append($"mkdir -p '{logs}'\n");
        s.Append($"cd '{workingDirectory}'\n");
        s.Append($"{launcher} -NoProfile -NonInteractive -c \"Import-Module '{modulePath}'; " +
                 $"Invoke-RefilledExperiment -Path '{yaml}' -OutputPath '{outputPath}' -RunIndex $SLURM_ARRAY_TASK_ID -ErrorAction Stop | Out-Null\"\n");
        return s.ToString();
    }
}
