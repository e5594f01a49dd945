@{
    Synopsis    = 'Writes PNG plots of a set of runs and a self-contained report.html that embeds them.'
    Description = @'
Reads the run folders under -Path and writes with ScottPlot, in this order: paired.png (when the runs hold
the -Reference method and at least two seeds: each other method's test accuracy minus the reference's on the
same seed and K, in points, with its 95 % Student-t interval, a zero line and the verdict, ahead or behind only
where the interval excludes 0), accuracy.png (validation and test accuracy of the best-epoch weights per
setting: mean over seeds with the lowest to highest seed as whiskers, on an axis fitted to the data within
[0, 1]; the caption states the range), heatmap.png (only when two hyperparameters are swept, e.g. lambda x
tau2: mean validation accuracy over seeds), curves.png and losses.png (validation accuracy and loss terms per
setting over SGD steps counted across stages: mean over seeds with a min-max band, dashed lines where a stage
hands over to the next, legends beside the plot). Then report.html embedding the pictures as base64, each with
its layout (plot area, legend box, value-axis range) as data attributes, a table of the paired differences
(n, mean difference, 95 % interval, verdict), a summary per setting and a table of all runs. Returns the files
written. An existing report.html or picture is only replaced with -Force; -WhatIf shows what would be written.
'@
    Parameters  = @{
        Path         = 'A folder of runs: the output root, an experiment folder or a run folder. Wildcards are expanded (one report per matching folder; a pattern that matches nothing is FileNotFound); strings bind from the pipeline.'
        LiteralPath  = 'The same as -Path, taken as typed (no wildcards: for names with [ or *). Get-ChildItem output binds here (PSPath, FullName).'
        OutputPath   = 'Folder for the PNGs and report.html. Default: a report folder inside each folder read. Given with a pattern that matches several folders, the second is refused (OutputPathShared).'
        Reference    = 'The method the others are compared with, paired by seed (and K). Default: Scratch. Settings of other methods that differ in a swept value (e.g. lambda) are compared one by one.'
        PerRunCurves = 'Also draw each run as a thin line under the mean over seeds in curves.png and losses.png.'
        Force        = 'Replace an existing report.html and pictures in -OutputPath.'
    }
    Examples    = @(
        @{
            Code    = 'Export-RefilledReport out/sweeps/sweep-mnist'
            Remarks = 'Writes out/sweeps/sweep-mnist/report/{accuracy,curves,losses}.png and report.html (one swept axis: no heatmap, no reference method: no paired chart).'
        }
        @{
            Code    = 'Export-RefilledReport out/compare/compare-methods -Reference Scratch -PerRunCurves'
            Remarks = 'Opens with paired.png: every method against Scratch on the same seeds; the curves also show each run.'
        }
    )
    Links       = @('Invoke-RefilledExperiment', 'Get-RefilledRun', 'Export-RefilledChart', 'about_Refilled')
}
