@{
    Synopsis    = 'Writes a Slurm batch script whose array tasks run the runs of an experiment file.'
    Description = @'
With -Format SlurmArray, writes a bash script with '#SBATCH --array=0-(N-1)' for the N runs of the expanded grid, the
resources of the file's 'resources' block (cpus, mem, time, partition), and one command per task:
Invoke-RefilledExperiment -Path <file> -RunIndex $SLURM_ARRAY_TASK_ID. The script lists which index runs which run.
Runs are locked and resumable, so a requeued task continues where it stopped. Submit it with sbatch.
Resources must match Slurm's own forms (mem: 8G; time: 02:00:00 or 2-12:00; partition: letters, digits, _ . -), so a
shared experiment file cannot add options or commands; paths reach the tasks as environment variables (REFILLED_MODULE,
REFILLED_EXPERIMENT, REFILLED_OUTPUT), never as code. An existing script is only replaced with -Force.

The tasks start PowerShell as the exporting session found it: "dotnet pwsh" from the repository root for a module
built in a clone, "pwsh" for an installed module (see -Launcher), and import this very module by its path.
'@
    Parameters  = @{
        Path          = 'The experiment file (YAML); the tasks read it from this path, so it must be on a shared file system. Wildcards are expanded (one script per matching file); strings bind from the pipeline.'
        LiteralPath   = 'The same as -Path, taken as typed (no wildcards: for names with [ or *). Get-ChildItem output binds here (PSPath, FullName).'
        Format        = 'The output format; SlurmArray is the one supported.'
        OutputPath    = 'The script file to write. Default: <name>.slurm.sh beside each experiment file. Given with a pattern that matches several files, the second is refused (OutputPathShared).'
        RunOutputPath = 'Root folder of the run folders the tasks write. Default: a runs folder beside the experiment file.'
        Launcher      = 'The command that starts PowerShell on the nodes. Default: chosen from where this module was loaded. A module built in a clone (<repository>/out/Refilled beside the repository''s dotnet-tools.json) gives "dotnet pwsh", run from the repository root; an installed module gives "pwsh", run from the current folder. The tasks import the module by its path either way, so it must be on a file system that every node sees.'
        Force         = 'Replace an existing script file.'
    }
    Examples    = @(
        @{
            Code    = 'Export-RefilledSweep examples/sweep-mnist.yaml -Format SlurmArray -OutputPath sweep.sh; sbatch sweep.sh'
            Remarks = 'Writes and submits a job array of one task per run.'
        }
    )
    Links       = @('Invoke-RefilledExperiment', 'Get-RefilledRun', 'Export-RefilledReport', 'about_Refilled')
}
