#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Times one complete cross-task run of the quickstart protocol in Refilled and in the PyTorch peer, alternated, and
    says where Refilled's wall time goes outside SGD steps.
.DESCRIPTION
    The protocol (examples/quickstart.ps1 for one K, seed and lambda): MNIST digits 5-9 from the data root, K training
    and K/2 validation images per class, every test digit of 5-9; a smallcnn-16 student; stage 1 then stage 2, -Steps SGD
    steps each at batch 64 (drop-last), validation every tenth of the epochs with the best weights checkpointed; the
    test accuracy. Refilled's side runs the module's cmdlets in a fresh pwsh (Get-RefilledDataset, New-Student,
    Invoke-RefilledStage1/2 -CheckpointPath, Measure-Student); the peer is examples/peer/quickstart_protocol.py under
    /usr/bin/python3. On both sides the clock starts once the teacher (smallcnn on digits 0-4, trained or loaded
    beforehand) is ready and stops after the test. Each side runs -Alternations times, one after the other; the table
    gives the median wall time of each and their ratio, then the median share of Refilled's wall time per phase
    (steps, batch loading, validation, checkpoints, the teacher's forward for stage 2's centres, data load, test).
    Shares hold up better than absolute seconds when other work shares the machine; the 1-minute load average is
    recorded with every run. Both sides' idle OpenMP workers spin as briefly as the module makes them by default (it sets
    GOMP_SPINCOUNT on import; the peer gets the same value): with libgomp's long default spin, a loaded machine slows the
    peer's run tenfold.
.EXAMPLE
    dotnet pwsh ./examples/compare-end-to-end.ps1
.EXAMPLE
    dotnet pwsh ./examples/compare-end-to-end.ps1 -Alternations 1 -OutFile /tmp/end-to-end.md
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 20)]
    [int] $Alternations = 3,
    [ValidateRange(2, 1000)]
    [int] $K = 20,
    # SGD steps per stage.
    [ValidateRange(1, 100000)]
    [int] $Steps = 300,
    [int] $Seed = 0,
    [double] $Lambda = 1,
    [ValidateRange(1, 1024)]
    [int] $Threads = [Environment]::ProcessorCount,
    # Which side to time: both (alternated, with the report) or one run of one side (a JSON line, what Both calls).
    [ValidateSet('Both', 'Refilled', 'Peer')]
    [string] $Side = 'Both',
    # The peer's OpenMP waiting. Module (the default): the short spin Refilled's module sets on import
    # ([Refilled.Engine.Runtime.OpenMpWaiting]::SpinCount); Default: PyTorch out of the box (libgomp's long spin).
    [ValidateSet('Module', 'Default')]
    [string] $PeerWaitPolicy = 'Module',
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Refilled/Refilled.psd1'),
    # The markdown file whose '## End to end' section is (re)written; docs/performance.md by default.
    [string] $OutFile
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path $PSScriptRoot -Parent
$python = '/usr/bin/python3'
$peerScript = Join-Path $PSScriptRoot 'peer/quickstart_protocol.py'
$batch = 64
$studentClasses = 5..9

function Get-LoadAverage { [double]((Get-Content /proc/loadavg -Raw).Split(' ')[0]) }

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $mid = [math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$mid] } else { ($sorted[$mid - 1] + $sorted[$mid]) / 2 }
}

# One timed Refilled run: a JSON line of its wall time and phases.
function Invoke-RefilledSide {
    Import-Module $ModulePath
    $dataFolder = Save-RefilledDataset Mnist
    $teacherFile = Join-Path $dataFolder.Parent.FullName 'quickstart-teacher-smallcnn-0-4-e6.refilled'
    $common = @{ BatchSize = $batch; LearningRate = 0.05; Threads = $Threads; DropLast = $true; Seed = $Seed }
    if (-not (Test-Path $teacherFile)) {
        # As the quickstart makes it, before the clock starts.
        $teacherTrain = Get-RefilledDataset Mnist -Split Train -Classes (0..4) -ValidationFraction 0.1
        $teacherVal = Get-RefilledDataset Mnist -Split Validation -Classes (0..4) -ValidationFraction 0.1
        Invoke-RefilledPretraining smallcnn -Data $teacherTrain -ValidationData $teacherVal -Epochs 6 @common |
            Export-RefilledModel $teacherFile -Force | Out-Null
    }
    $teacher = Import-Teacher $teacherFile
    $checkpoint = Join-Path ([IO.Path]::GetTempPath()) "refilled-end-to-end-$PID.refilled"

    $clock = [Diagnostics.Stopwatch]::StartNew()
    $split = @{ Classes = $studentClasses; SamplesPerClass = $K; Seed = $Seed; ValidationSamplesPerClass = [Math]::Max(1, [int][Math]::Floor($K / 2)) }
    $train = Get-RefilledDataset Mnist -Split Train @split
    $val = Get-RefilledDataset Mnist -Split Validation @split
    $test = Get-RefilledDataset Mnist -Split Test -Classes $studentClasses
    $dataSeconds = $clock.Elapsed.TotalSeconds
    $perEpoch = [Math]::Max(1, [Math]::Floor($train.Count / $batch))
    $epochs = [Math]::Max(1, [Math]::Round($Steps / $perEpoch))
    $run = $common + @{ Data = $train; ValidationData = $val; Epochs = $epochs; EvaluateEvery = [Math]::Max(1, [Math]::Floor($epochs / 10))
        CheckpointPath = $checkpoint; Force = $true }
    $student = New-Student smallcnn-16 -Dataset $train -Seed $Seed |
        Invoke-RefilledStage1 -Teacher $teacher @run |
        Invoke-RefilledStage2 -Teacher $teacher -Lambda $Lambda @run
    $testClock = [Diagnostics.Stopwatch]::StartNew()
    $accuracy = ($student | Measure-Student -Data $test).Accuracy
    $testSeconds = $testClock.Elapsed.TotalSeconds
    $total = $clock.Elapsed.TotalSeconds
    Remove-Item $checkpoint -ErrorAction SilentlyContinue

    $phases = [ordered]@{ data_load = $dataSeconds; prepare = 0.0; batch_load = 0.0; steps = 0.0; validation = 0.0; checkpoints = 0.0; test = $testSeconds }
    foreach ($t in $student.Timings) {
        $phases.prepare += $t.PrepareSeconds
        $phases.batch_load += $t.BatchLoadSeconds
        $phases.steps += $t.StepSeconds
        $phases.validation += $t.ValidationSeconds
        $phases.checkpoints += $t.CheckpointSeconds
    }
    [ordered]@{ name = 'total'; seconds = $total; steps_seconds = $phases.steps; phases = $phases; test_accuracy = $accuracy
        sgd_steps = ($student.History | Measure-Object Batches -Sum).Sum; load_average = Get-LoadAverage } | ConvertTo-Json -Compress
}

function Invoke-PeerSide {
    if ($PeerWaitPolicy -eq 'Module') {
        Import-Module $ModulePath
        $env:GOMP_SPINCOUNT = [Refilled.Engine.Runtime.OpenMpWaiting]::SpinCount
    }
    $lines = & $python $peerScript --k $K --steps $Steps --seed $Seed --lambda $Lambda --threads $Threads
    if ($LASTEXITCODE -ne 0) { throw "The peer failed with exit code $LASTEXITCODE." }
    $records = @($lines | Where-Object { $_ -like '{*' } | ForEach-Object { $_ | ConvertFrom-Json })
    $total = $records | Where-Object name -eq 'total'
    $phases = [ordered]@{}
    foreach ($p in $records | Where-Object name -eq 'phase') { $phases[$p.phase] = $p.seconds }
    [ordered]@{ name = 'total'; seconds = $total.seconds; steps_seconds = $total.steps_seconds; phases = $phases
        test_accuracy = $total.test_accuracy; sgd_steps = $total.sgd_steps; load_average = $total.load_average } | ConvertTo-Json -Compress
}

if ($Side -eq 'Refilled') { return Invoke-RefilledSide }
if ($Side -eq 'Peer') { return Invoke-PeerSide }

& $python -c 'import torch' 2>$null
if ($LASTEXITCODE -ne 0) { throw "The peer needs $python with torch (apt-get install python3-torch)." }
if (-not (Test-Path $ModulePath)) { throw "No module at ${ModulePath}: build it first (dotnet pwsh ./build.ps1)." }
$pwsh = [Environment]::ProcessPath
Import-Module $ModulePath
$spinCount = [Refilled.Engine.Runtime.OpenMpWaiting]::SpinCount
$runs = @{ Refilled = [Collections.Generic.List[object]]::new(); Peer = [Collections.Generic.List[object]]::new() }
for ($round = 1; $round -le $Alternations; $round++) {
    foreach ($s in 'Refilled', 'Peer') {
        Write-Host "[round $round/$Alternations] $s, load $(Get-LoadAverage) ..."
        # A fresh process per Refilled run: a user's run pays the module's start-up too (before the clock: only the import).
        $arguments = @('-NoProfile', '-File', $PSCommandPath, '-Side', $s, '-K', $K, '-Steps', $Steps, '-Seed', $Seed,
            '-Lambda', $Lambda, '-Threads', $Threads, '-ModulePath', $ModulePath, '-PeerWaitPolicy', $PeerWaitPolicy)
        $line = if ([IO.Path]::GetFileNameWithoutExtension($pwsh) -eq 'dotnet') { & $pwsh pwsh @arguments } else { & $pwsh @arguments }
        if ($LASTEXITCODE -ne 0) { throw "The $s run failed with exit code $LASTEXITCODE." }
        $runs[$s].Add((@($line | Where-Object { $_ -like '{*' })[-1] | ConvertFrom-Json))
    }
}

$ours = $runs.Refilled
$peer = $runs.Peer
$oursSeconds = Get-Median ($ours | ForEach-Object seconds)
$peerSeconds = Get-Median ($peer | ForEach-Object seconds)
$inv = [Globalization.CultureInfo]::InvariantCulture
$cpu = (Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', ''
$md = [Text.StringBuilder]::new()
$null = $md.AppendLine('## End to end: one quickstart run').AppendLine()
$null = $md.AppendLine("Written by ``examples/compare-end-to-end.ps1`` on $((Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm')) UTC: " +
    "K = $K, $Steps + $Steps SGD steps of batch $batch, lambda $Lambda, seed $Seed, $Threads threads, $Alternations alternating round(s). CPU: $cpu. " +
    "OpenMP waiting: Refilled as the module sets it (GOMP_SPINCOUNT=$spinCount unless the environment chose), the peer " +
    $(if ($PeerWaitPolicy -eq 'Module') { 'the same' } else { 'libgomp''s default' }) + '.').AppendLine()
$null = $md.AppendLine('Load average (1 min) after each run, Refilled / peer: ' +
    (($ours | ForEach-Object { $_.load_average.ToString('0.##', $inv) }) -join ', ') + ' / ' + (($peer | ForEach-Object { $_.load_average.ToString('0.##', $inv) }) -join ', ') +
    " (the machine has $([Environment]::ProcessorCount) cores).").AppendLine()
$null = $md.AppendLine('| | Refilled | peer | peer / Refilled |').AppendLine('|---|---:|---:|---:|')
$null = $md.AppendLine(('| wall time, s (median) | {0:N2} | {1:N2} | **{2:N2}×** |' -f $oursSeconds, $peerSeconds, ($peerSeconds / $oursSeconds)))
$null = $md.AppendLine(('| SGD steps, s (median) | {0:N2} | {1:N2} | {2:N2}× |' -f (Get-Median ($ours | ForEach-Object steps_seconds)),
    (Get-Median ($peer | ForEach-Object steps_seconds)), ((Get-Median ($peer | ForEach-Object steps_seconds)) / (Get-Median ($ours | ForEach-Object steps_seconds)))))
$null = $md.AppendLine(('| test accuracy | {0:N4} | {1:N4} | |' -f (Get-Median ($ours | ForEach-Object test_accuracy)), (Get-Median ($peer | ForEach-Object test_accuracy))))
$null = $md.AppendLine().AppendLine('Where the wall time goes, median share per phase (prepare: what a stage does before its first step, for Refilled on MNIST the table of the teacher''s embeddings that replaces its forward in the steps; other: the cmdlets and the script around the phases):').AppendLine()
$null = $md.AppendLine('| phase | Refilled | peer |').AppendLine('|---|---:|---:|')
function Get-Share($Runs, [string] $Phase) {
    $shares = @($Runs | ForEach-Object {
            $p = $_.phases
            $value = if ($Phase -eq 'other') { $_.seconds - ($p.PSObject.Properties.Value | Measure-Object -Sum).Sum } else { $p.$Phase }
            if ($null -eq $value) { 0 } else { [double]$value / $_.seconds }
        })
    '{0:P1}' -f [Math]::Max(0.0, (Get-Median $shares))
}
foreach ($phase in 'steps', 'batch_load', 'validation', 'checkpoints', 'prepare', 'data_load', 'test', 'other') {
    $null = $md.AppendLine("| $phase | $(Get-Share $ours $phase) | $(Get-Share $peer $phase) |")
}
$null = $md.AppendLine().AppendLine('Each run (seconds per phase):').AppendLine().AppendLine('```')
foreach ($s in 'Refilled', 'Peer') { foreach ($r in $runs[$s]) { $null = $md.AppendLine("$s $($r | ConvertTo-Json -Compress)") } }
$null = $md.AppendLine('```')
$section = $md.ToString()
Write-Host $section
if (-not $OutFile) { $OutFile = Join-Path $root 'docs/performance.md' }
. (Join-Path $PSScriptRoot 'DocSections.ps1')
Update-DocSections -Path $OutFile -Section $section
Write-Host "Wrote $OutFile"
