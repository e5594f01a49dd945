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
        var r = experiment.Base.Resources;
        SlurmResourceGrammar.EnsureValid(r, experiment.Name);
        var logs = Path.Combine(outputPath, experiment.Name, "slurm");
        foreach (var (what, text) in new[] { ("module path", modulePath), ("experiment path", yaml), ("output path", outputPath),
                                             ("working directory", workingDirectory), ("launcher", launcher) })
            if (text.Any(char.IsControl))
                throw new ArgumentException($"The {what} '{text}' contains a line break or another control character, which a batch script cannot hold.");
        if (logs.Contains('"')) throw new ArgumentException($"The output path '{outputPath}' contains '\"', which an #SBATCH line cannot hold.");

        var runs = experiment.Expand();
        var s = new StringBuilder();
        s.Append("#!/bin/bash\n");
        s.Append($"#SBATCH --job-name={experiment.Name}\n");
        s.Append($"#SBATCH --array=0-{runs.Count - 1}\n");
        s.Append("#SBATCH --ntasks=1\n");
        s.Append($"#SBATCH --cpus-per-task={r.Cpus}\n");
        s.Append($"#SBATCH --mem={r.Mem}\n");
        s.Append($"#SBATCH --time={r.Time}\n");
        if (r.Partition is { Length: > 0 } partition) s.Append($"#SBATCH --partition={partition}\n");
        // Slurm expands %x, %j, … in the file name: a '%' of the path itself is written %%.
        s.Append($"#SBATCH --output=\"{logs.Replace("%", "%%")}/%A_%a.out\"\n");
        // Requeued tasks (scontrol requeue, a failed node) resume their run; their output continues the same file.
        s.Append("#SBATCH --requeue\n");
        s.Append("#SBATCH --open-mode=append\n");
        s.Append("#\n# Written by Export-RefilledSweep. Array index -> run (folder under the output path):\n");
        foreach (var run in runs) s.Append($"#   {run.Index,4}  {experiment.Name}/{run.Id}\n");
        s.Append("set -euo pipefail\n");
        // Paths reach PowerShell as environment variables, never as code: no quote in them (bash's or PowerShell's,
        // straight or curly) can end a string.
        s.Append($"export REFILLED_MODULE={BashQuote(modulePath)}\n");
        s.Append($"export REFILLED_EXPERIMENT={BashQuote(yaml)}\n");
        s.Append($"export REFILLED_OUTPUT={BashQuote(outputPath)}\n");
        s.Append($"mkdir -p {BashQuote(logs)}\n");
        s.Append($"cd {BashQuote(workingDirectory)}\n");
        s.Append($"{launcher} -NoProfile -NonInteractive -c 'Import-Module -Name $env:REFILLED_MODULE; " +
                 "Invoke-RefilledExperiment -Path $env:REFILLED_EXPERIMENT -OutputPath $env:REFILLED_OUTPUT -RunIndex $env:SLURM_ARRAY_TASK_ID -ErrorAction Stop | Out-Null'\n");
        return s.ToString();
    }

    // Inside bash single quotes nothing is special; a single quote itself closes, escapes and reopens.
    static string BashQuote(string text) => "'" + text.Replace("'", "'\\''") + "'";
}
