<#
.SYNOPSIS
    The README's table of an experiment that compares methods: Compare-RefilledResult's paired difference to the
    reference method (by seed and K, 95 % interval, verdict), beside each method's test accuracy mean ± sample std over
    seeds and its minutes (the sum of its runs' times). Only completed runs count.
.EXAMPLE
    ./examples/paired-table.ps1 out/fashion/fashion-cross-task-k20
#>
param(
    [Parameter(Mandatory)] [string] $Path,
    [string] $Reference = 'Scratch'
)
Import-Module (Join-Path $PSScriptRoot '../out/Refilled/Refilled.psd1')
$runs = @(Get-RefilledRun $Path | Where-Object Status -EQ Completed)
$pairs = @($runs | Compare-RefilledResult -Reference $Reference)
'| K | method | seeds | test % | − {0} (points) | 95 % interval | verdict | minutes |' -f $Reference
'|---:|---|---:|---:|---:|---|---|---:|'
foreach ($group in $runs | Group-Object { $_.Config.Data.SamplesPerClass }, Setting) {
    $k, $method = $group.Values
    $accuracy = $group.Group | Measure-Object { 100 * $_.Result.TestAccuracy } -Average -StandardDeviation
    $pair = $pairs | Where-Object { $_.Method -eq $method -and $_.K -eq $k }
    $signed = '{0:+0.00;−0.00}'
    $difference = if ($pair) { $signed -f $pair.MeanDifference } else { '' }
    $interval = if ($pair) { "[$($signed -f $pair.Lower), $($signed -f $pair.Upper)]" } else { '' }
    '| {0} | {1} | {2} | {3:0.0} ± {4:0.0} | {5} | {6} | {7} | {8:0.0} |' -f $k, $method, $accuracy.Count, $accuracy.Average,
        $accuracy.StandardDeviation, $difference, $interval, $pair.Verdict, (($group.Group.Result.Seconds | Measure-Object -Sum).Sum / 60)
}
