<#
.SYNOPSIS
    The README's table of an experiment that compares methods: per K and method, test accuracy mean ± sample std over
    seeds, and the paired difference to the reference method (runs paired by seed) with its 95 % Student-t interval.
.EXAMPLE
    ./examples/paired-table.ps1 out/fashion/fashion-cross-task-k20
#>
param(
    [Parameter(Mandatory)] [string] $Path,
    [string] $Reference = 'Scratch'
)
Import-Module (Join-Path $PSScriptRoot '../out/Refilled/Refilled.psd1')
$results = @(Get-RefilledRun $Path | Where-Object Status -EQ Completed | ForEach-Object Result)
$compared = $results | ForEach-Object { [Refilled.Engine.Evaluation.ComparedResult]::new($_.Method, $_.Seed, $_.SamplesPerClass, $_.TestAccuracy) }
$pairs = [Refilled.Engine.Evaluation.PairedComparison]::Compare([Refilled.Engine.Evaluation.ComparedResult[]]$compared, $Reference)
'| K | method | seeds | test % | − {0} (points) | 95 % interval | verdict | minutes |' -f $Reference
'|---:|---|---:|---:|---:|---|---|---:|'
foreach ($group in $results | Group-Object SamplesPerClass, Method) {
    $first = $group.Group[0]
    $accuracy = $group.Group.TestAccuracy | ForEach-Object { 100 * $_ }
    $mean = ($accuracy | Measure-Object -Average).Average
    $std = [Math]::Sqrt((($accuracy | ForEach-Object { ($_ - $mean) * ($_ - $mean) }) | Measure-Object -Sum).Sum / [Math]::Max(1, $accuracy.Count - 1))
    $pair = $pairs | Where-Object { $_.Method -eq $first.Method -and $_.K -eq $first.SamplesPerClass }
    $difference = if ($pair) { '{0:+0.00;−0.00}' -f $pair.MeanDifference } else { '' }
    $interval = if ($pair) { '[{0:+0.00;−0.00}, {1:+0.00;−0.00}]' -f $pair.Lower, $pair.Upper } else { '' }
    '| {0} | {1} | {2} | {3:0.0} ± {4:0.0} | {5} | {6} | {7} | {8:0.0} |' -f $first.SamplesPerClass, $first.Method, $accuracy.Count, $mean, $std,
        $difference, $interval, $pair.Verdict, (($group.Group.Seconds | Measure-Object -Sum).Sum / 60)
}
