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

Each stage section (stages.stage1, stages.stage2, stages.baseline, teacher.pretrain) has the keys and defaults of the
matching training cmdlet's parameters, which are the released code's: epochs 200, lr 0.1, batch 128, momentum 0.9,
weight_decay 5e-4, nesterov true, drop_last false, evaluate_every 1; stage1 tau 4, margin 0.2, variant triplet;
stage2 tau 2, lambda 100, lambda_decay 1, centers global, milestones and gamma 0.2; baseline method (any of
Invoke-RefilledBaseline's, e.g. scratch, knowledgedistillation, fitnet), milestones, gamma, each method's own keys
(knowledgedistillation temperature 4 and alpha 0.9, fitnet hint_weight 100, attentiontransfer beta 1000 and
beta_convention beta, ...), and 'schedule: repdistiller' for RepDistiller's budget (240 epochs, lr 0.05 x 0.1 at
150/180/210, batch 64, no Nesterov), whose values keys beside it override. A run may hold
stage1, stage2 or both, or one baseline; 'student: { file: ... }' continues from a trained student. The rules of the
cmdlets apply too (channels, classifier width, Hinton KD needs a teacher of the student's classes) and fail with the
same error ids. A 'sweep:' varies any stage key as 'stage1.tau', 'stage2.lambda', 'baseline.alpha', ... (a list key
takes a list of lists: 'stage2.milestones: [[100, 150], [60, 120, 160]]'), or by the short keys lambda, tau1, tau2,
margin, lr, lr1, lr2, epochs1, epochs2, gamma, samples_per_class and seed, or the student's architecture
('student: [wrn-16-2, wrn-40-1]'); its values pass the same type and range checks as the plain key. Each run's folder
is named by its values; Get-RefilledRun shows them as the file writes them in Labels (Values holds numbers: an
architecture or a list by its index).

Two run-wide keys match the cmdlets' parameters: 'device: cuda' (or cpu, cuda:N; default cpu) creates or loads the
teacher and the student there, as -Device does; it is checked when a run starts (a CPU-only build refuses cuda with
the DeviceUnavailable error before anything is trained) and is not part of a run's identity, so a run saved on one
device resumes on another. 'precision: bfloat16' (default float32) trains under mixed precision (the frozen teacher's forward and the
student's convolutions in bfloat16, weights and losses in float32) and takes the final measurements in bfloat16, as
-Precision BFloat16 does with the training cmdlets and Measure-Student; it is refused
(PrecisionNotSupported) on a CPU without native bfloat16.

'tensorboard: true' writes TensorBoard event files into each run folder (one TensorBoard run per run folder, so
'tensorboard --logdir <OutputPath>/<name>' shows a sweep as one view).

Writes one result object per run (flat, for Export-Csv) with Status Completed, Skipped, Locked or Cancelled.
'@
    Parameters  = @{
        Path       = 'The experiment file (YAML), or several (./experiments/*.yaml). Wildcards are expanded (a pattern that matches nothing is FileNotFound); strings bind from the pipeline.'
        LiteralPath = 'The same as -Path, taken as typed (no wildcards: for names with [ or *). Get-ChildItem output binds here (PSPath, FullName).'
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
    Links       = @('Get-RefilledRun', 'Export-RefilledReport', 'Export-RefilledSweep', 'about_Refilled')
}
