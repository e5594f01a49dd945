@{
    Synopsis    = 'Runs an experiment file (YAML): every run of its sweep grid, each into a resumable run folder.'
    Description = @'
Reads and validates the experiment file first (unknown keys, wrong types and missing fields are reported with line,
column and the closest valid key; nothing is written before the file validates), expands its sweep grid (the sweep
keys in file order, the first outermost and the last varying fastest; 'seeds' is one more, innermost axis) and runs
each run into <OutputPath>/<name>/<run id>/: config.yaml (the resolved configuration), metrics.csv (one row per epoch
and stage), stage checkpoints (*.best.refilled, *.last.refilled), *.state (the resumable training state), result.json
and run.log.

A finished run (result.json present) is skipped. An interrupted run (killed, or stopped with Ctrl+C) resumes from its
last completed epoch: weights, optimiser momentum, epoch, best weights, history and random generator, so that it ends
bit-identical to a run that never stopped (same thread count). run.lock keeps two processes (two Slurm tasks, on any
hosts sharing the folder) from running the same run: it is an operating-system lock (flock) that dies with the process
holding it, so a killed or requeued task's run is taken over by the next one. A run that another live process holds
is skipped with an error (category ResourceBusy), so a Slurm task run with -ErrorAction Stop exits non-zero. A run that
throws records the error in error.txt (Get-RefilledRun shows it as Failed). First-time work shared by parallel tasks
(converting the default MNIST digits, pretraining the experiment's teacher under teachers/) is done by one task under
a lock while the others wait and then reuse it.

Writes one result object per run (flat, for Export-Csv) with Status Completed, Skipped, Locked or Cancelled.
'@
    Parameters  = @{
        Path       = 'The experiment file (YAML).'
        OutputPath = 'Root folder of the run folders. Default: a runs folder beside the experiment file.'
        RunIndex   = 'Run only the run with this 0-based index of the expanded grid (a Slurm array task id).'
    }
    Examples    = @(
        @{
            Code    = 'Invoke-RefilledExperiment examples/sweep-mnist.yaml -OutputPath out/sweeps | Export-Csv out/sweeps/results.csv'
            Remarks = 'Runs (or resumes) the sweep and writes one CSV row per run.'
        }
        @{
            Code    = 'Invoke-RefilledExperiment examples/sweep-mnist.yaml -WhatIf'
            Remarks = 'Lists the expanded runs and their folders without running anything.'
        }
    )
}
