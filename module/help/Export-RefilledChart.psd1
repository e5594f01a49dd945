@{
    Synopsis    = 'Draws result rows (and, optionally, students'' learning curves) into one PNG chart.'
    Description = @'
Collects every row from the pipeline, groups them by -Category (the x axis, e.g. K) and -Group (one bar colour
each, e.g. Method) and draws the mean of -Value per pair as a bar with ± the sample standard deviation (n - 1) as
an error bar; each bar is labelled "mean ± std". Categories that are all numbers are ordered numerically (K=20
before K=100); groups keep the order in which they first appear. Values may be numbers or strings such as those
from Import-Csv, which are read with the invariant culture.

With -Student, a second panel beside the bars shows each student's validation score against SGD steps counted
across stages, so a stage-1-then-stage-2 student reads left to right and runs with different epoch lengths share
one axis. Each validation metric is its own line (stage 1 is validated by NCM accuracy, stage 2 by classifier
accuracy). Epochs that were not validated are left out.

The PNG is written to a temporary name and renamed. An existing file is only replaced with -Force; -WhatIf shows
what would be written. The written file is returned as a FileInfo.
'@
    Parameters  = @{
        Path        = 'The PNG file to write.'
        InputObject = 'Result rows, by value from the pipeline; each needs the -Category, -Group and -Value properties.'
        Category    = 'The property whose values become the x-axis categories. Default: K.'
        Group       = 'The property whose values become the bar series (one colour each). Default: Method.'
        Value       = 'The numeric property averaged per category and group. Default: Accuracy.'
        Student     = 'Trained students whose per-epoch validation scores are drawn as curves in a second panel.'
        CurveLabel  = 'One legend label per -Student, in the same order. Default: the stages the student went through and its seed.'
        Title       = 'The title of the bar chart. Default: the value, category and group names.'
        Width       = 'The image width in pixels. Default: 1400.'
        Height      = 'The image height in pixels. Default: 600.'
        Force       = 'Replace an existing file.'
    }
    Examples    = @(
        @{
            Code    = 'Import-Csv ./results.csv | Export-RefilledChart ./results.png'
            Remarks = 'Mean ± std accuracy per K (x axis) and Method (bar colour) from a CSV with columns Method, K, Seed, Accuracy.'
        }
        @{
            Code    = @'
$rows = foreach ($k in 20, 100) { foreach ($seed in 0..2) {
    [pscustomobject]@{ Method = 'Scratch'; K = $k; Seed = $seed; Accuracy = 0.4 + $k / 1000 + $seed / 100 }
    [pscustomobject]@{ Method = 'Refilled'; K = $k; Seed = $seed; Accuracy = 0.5 + $k / 1000 + $seed / 100 } } }
$rows | Export-RefilledChart ./k.png -Title 'CIFAR-100, 5-way' -Width 900 -Height 500 -Force
'@
            Remarks = 'Builds rows in the script and writes a 900×500 chart, replacing an earlier file.'
        }
        @{
            Code    = '$rows | Export-RefilledChart ./run.png -Student $scratch, $refilled -CurveLabel Scratch, Refilled -Force'
            Remarks = 'Adds a second panel with the two students'' validation accuracy during training.'
        }
        @{
            Code    = 'Import-Csv ./sweep.csv | Export-RefilledChart ./lambda.png -Category Lambda -Group Method -Value Accuracy -WhatIf'
            Remarks = 'Shows what would be written for a chart over lambda, without writing it.'
        }
    )
    Links       = @('Export-RefilledReport', 'Measure-Student', 'about_Refilled')
}
