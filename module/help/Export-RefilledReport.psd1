@{
    Synopsis    = 'Writes PNG plots of a set of runs and a self-contained report.html that embeds them.'
    Description = @'
Reads the run folders under -Path and writes with ScottPlot: curves.png (per-run validation per epoch), heatmap.png
(mean validation accuracy over seeds across the first two swept hyperparameters, e.g. lambda x tau2) and
accuracy.png (validation and test accuracy, mean +/- sample std over seeds, of the best-epoch weights), then
report.html embedding the pictures as base64 with a table of all runs. Returns the files written. An existing
report.html is only replaced with -Force; -WhatIf shows what would be written.
'@
    Parameters  = @{
        Path       = 'A folder of runs: the output root, an experiment folder or a run folder.'
        OutputPath = 'Folder for the PNGs and report.html. Default: a report folder inside -Path.'
        Force      = 'Replace an existing report in -OutputPath.'
    }
    Examples    = @(
        @{
            Code    = 'Export-RefilledReport out/sweeps/sweep-mnist'
            Remarks = 'Writes out/sweeps/sweep-mnist/report/{curves,heatmap,accuracy}.png and report.html.'
        }
    )
    Links       = @('Invoke-RefilledExperiment', 'Get-RefilledRun', 'Export-RefilledChart', 'about_Refilled')
}
