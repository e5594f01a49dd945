@{
    Synopsis    = 'Lists runs with their state, configuration, history and final metrics, from the run folders alone.'
    Description = @'
For a folder: every run folder (one holding config.yaml) at or below -Path (an output root, an experiment folder or one
run folder). For an experiment file: every run of its sweep, in sweep order (the Slurm array index), under -OutputPath,
including those that have no folder yet. So a sweep can be followed from any machine that sees the output folder,
without sacct.

Status is Pending (not started), Running (a live process holds the run's run.lock; Holder names its host, process and
Slurm job), Completed (result.json present), Failed (the last attempt threw: Error holds the message, from error.txt)
or Cancelled (stopped, killed or timed out before finishing: invoking it again resumes it from its last completed
epoch). Result holds the final metrics of a completed run; History the rows of metrics.csv; Config the resolved
configuration; Values the run's sweep values as numbers (an architecture or a list by its index on the axis) and
Labels the same values as the experiment file writes them (wrn-16-2, 100-150); Label('key') reads one.
'@
    Parameters  = @{
        Path       = 'A folder (the output root of Invoke-RefilledExperiment, an experiment folder or a run folder), or an experiment file (YAML).'
        OutputPath = 'With an experiment file: the root folder of its run folders. Default: a runs folder beside the experiment file, as for Invoke-RefilledExperiment.'
    }
    Examples    = @(
        @{
            Code    = 'Get-RefilledRun out/sweeps | Select-Object -ExpandProperty Result | Export-Csv results.csv'
            Remarks = 'The final metrics of every completed run as CSV.'
        }
        @{
            Code    = 'Get-RefilledRun examples/sweep-mnist.yaml -OutputPath /shared/runs | Group-Object Status -NoElement'
            Remarks = 'How many runs of a Slurm sweep are pending, running, completed, failed or cancelled.'
        }
    )
    Links       = @('Invoke-RefilledExperiment', 'Export-RefilledReport', 'Export-RefilledSweep', 'about_Refilled')
}
