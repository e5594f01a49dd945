<#
.SYNOPSIS
    Resumes a sweep and refreshes its report: meant for cron or a systemd timer.
.DESCRIPTION
    Finished runs are skipped, an interrupted run resumes from its last completed epoch, and a run that another
    invocation still holds (run.lock of a live process) is left alone, so overlapping timer firings are harmless.
    Afterwards the report (PNGs and report.html) is rewritten from every run folder.
    Written for a clone of the repository (its examples/sweep-mnist.yaml, its out/ and the module built into
    out/Refilled); with an installed module, pass -ModulePath (Get-Module -ListAvailable Refilled).Path, -Experiment
    and -OutputPath.
.EXAMPLE
    # crontab: every night at 3:00
    0 3 * * * cd /srv/refilled && dotnet pwsh -NoProfile -File examples/scheduled-sweep.ps1 >> /var/log/refilled-sweep.log 2>&1
.EXAMPLE
    # systemd: ExecStart=/usr/bin/dotnet pwsh -NoProfile -File /srv/refilled/examples/scheduled-sweep.ps1
#>
[CmdletBinding()]
param(
    [string] $Experiment = (Join-Path $PSScriptRoot 'sweep-mnist.yaml'),
    [string] $OutputPath = (Join-Path $PSScriptRoot '../out/sweeps'),
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Refilled/Refilled.psd1')
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$results = Invoke-RefilledExperiment -Path $Experiment -OutputPath $OutputPath
$results | Format-Table RunIndex, RunId, Status, ValidationAccuracy, TestAccuracy, Seconds -AutoSize | Out-String | Write-Host
$name = (Get-Content $Experiment | Select-String '^name:\s*(\S+)').Matches[0].Groups[1].Value
$report = Export-RefilledReport -Path (Join-Path $OutputPath $name) -Force
Write-Host "Report: $($report | Where-Object Name -eq 'report.html' | Select-Object -ExpandProperty FullName)"
