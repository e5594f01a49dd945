#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Alternates Refilled's bench and the PyTorch peer, in float32 and at each one's best, and writes medians with their
    spread to docs/performance.md.
.DESCRIPTION
    For each setting (cifar: WRN-16-1 student, WRN-40-2 teacher, 32 px, 100 classes, batch 128; cub: MobileNet-0.5
    student, MobileNet-1.0 teacher, 224 px, 200 classes, batch 32) and each of -Alternations rounds it runs, one after
    the other: ours in float32, the peer in float32, ours in bfloat16, the peer with --bf16 --channels-last.
    Ours is src/Refilled.Bench (median of its repetitions); the peer is examples/peer/bench_step.py under
    /usr/bin/python3 (Debian's python3-torch: apt-get install python3-torch; mean of its steps). Each times the training steps over -Steps repetitions and
    the eval forward, a tenth of their work, over -EvalSteps, so that no figure rests on a fraction of a second. Each figure in the table is the median over the rounds,
    with the lowest and highest round in brackets; the 1-minute load average is recorded with every run, because
    other work on a shared machine slows both benches unevenly. Then one float32 run of the remaining bench lines
    (miner and loss scaling, the stage-1 step at twice the batch, loader, gemm ceiling, RSS per epoch) and a profile
    of the stage-1 step. Ratios compare the same work at the same batch and thread count; no test labels are involved.
    Needs a clone of the repository: it builds src/Refilled.Bench from source and writes docs/performance.md (or
    -OutFile): every section it writes names the CPU in its title, and a run replaces only its own CPU's sections,
    keeping the other CPUs' and everything else in the file.
.EXAMPLE
    dotnet pwsh ./examples/compare-peer.ps1
.EXAMPLE
    dotnet pwsh ./examples/compare-peer.ps1 -Settings cifar -Alternations 1 -OutFile /tmp/perf.md
#>
[CmdletBinding()]
param(
    [ValidateSet('cifar', 'cub')]
    [string[]] $Settings = @('cifar', 'cub'),
    [ValidateRange(1, 20)]
    [int] $Alternations = 3,
    # Timed steps per run, for both benches (ours reports the median, the peer the mean).
    [ValidateRange(1, 50)]
    [int] $Steps = 5,
    # Timed eval forwards per run: a tenth of a training step's work, so timed over more of them (both benches).
    [ValidateRange(1, 500)]
    [int] $EvalSteps = 40,
    # libtorch threads for both benches; on a machine shared with other work, 1 avoids OpenMP workers waiting on each other.
    [ValidateRange(1, 1024)]
    [int] $Threads = [Environment]::ProcessorCount,
    # The peer: examples/peer/bench_step.py by default.
    [string] $PeerScript,
    # Only the alternated table: no scaling, memory, loader or profile section.
    [switch] $NoExtra,
    [string] $OutFile
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path $PSScriptRoot -Parent
. (Join-Path $PSScriptRoot 'DocSections.ps1')
$dotnet = [Environment]::ProcessPath
if (-not $OutFile) { $OutFile = Join-Path $root 'docs/performance.md' }
$peerScript = if ($PeerScript) { $PeerScript } else { Join-Path $root 'examples/peer/bench_step.py' }
$python = '/usr/bin/python3'
$threads = $Threads
$trainingSteps = 'stage1_step,stage2_step,ce_step'
$stepNames = @($trainingSteps -split ',') + 'eval_forward'
$setup = @{
    cifar = @{ Arch = 'wrn-16-1'; Teacher = 'wrn-40-2'; ImageSize = 32; Classes = 100; Batch = 128 }
    cub   = @{ Arch = 'mobilenet-0.5'; Teacher = 'mobilenet-1.0'; ImageSize = 224; Classes = 200; Batch = 32 }
}

function Get-LoadAverage { [double]((Get-Content /proc/loadavg -Raw).Split(' ')[0]) }

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $mid = [math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$mid] } else { ($sorted[$mid - 1] + $sorted[$mid]) / 2 }
}

$project = Join-Path $root 'src/Refilled.Bench/Refilled.Bench.csproj'
$log = & $dotnet build $project -c Release --nologo -v quiet 2>&1
if ($LASTEXITCODE -ne 0) { $log | Out-Host; throw "dotnet build of Refilled.Bench failed with exit code $LASTEXITCODE." }
$benchDll = Join-Path $root 'src/Refilled.Bench/bin/Release/net10.0/Refilled.Bench.dll'

function Invoke-Ours([hashtable] $S, [string] $Precision, [string] $Only, [switch] $Profile, [string[]] $Extra = @(), [int] $Reps = $Steps) {
    $arguments = @('--arch', $S.Arch, '--teacher', $S.Teacher, '--image-size', $S.ImageSize, '--classes', $S.Classes,
        '--batch', $S.Batch, '--threads', $threads, '--reps', $Reps, '--precision', $Precision)
    if ($Only) { $arguments += '--only', $Only }
    if ($Profile) { $arguments += '--profile' }
    $arguments += $Extra
    $errors = [IO.Path]::GetTempFileName()
    try {
        $lines = & $dotnet $benchDll @arguments 2> $errors
        if ($LASTEXITCODE -ne 0) { Get-Content $errors | Out-Host; throw "Refilled.Bench failed with exit code $LASTEXITCODE." }
        [pscustomobject]@{ Records = @($lines | Where-Object { $_ -like '{*' } | ForEach-Object { $_ | ConvertFrom-Json }); Lines = $lines
            Profile = @(Get-Content $errors | Where-Object { $_ -like '#*' }) }
    }
    finally { Remove-Item $errors -ErrorAction SilentlyContinue }
}

function Invoke-Peer([hashtable] $S, [switch] $Best, [string] $Only, [int] $Reps) {
    $arguments = @($peerScript, '--arch', $S.Arch, '--teacher', $S.Teacher, '--image-size', $S.ImageSize, '--classes', $S.Classes,
        '--batch', $S.Batch, '--threads', $threads, '--steps', $Reps, '--only', $Only)
    if ($Best) { $arguments += '--bf16', '--channels-last' }
    $lines = & $python @arguments
    if ($LASTEXITCODE -ne 0) { throw "The peer failed with exit code $LASTEXITCODE." }
    $result = @{}
    foreach ($record in $lines | Where-Object { $_ -like '{*' } | ForEach-Object { $_ | ConvertFrom-Json }) {
        if ($record.name -eq 'environment') { $script:torchVersion = $record.torch }
        else { $result[$record.name] = [double]$record.images_per_s }
    }
    $result
}

& $python -c 'import torch' 2>$null
if (-not (Test-Path $peerScript) -or $LASTEXITCODE -ne 0) { throw "The peer needs $peerScript and $python with torch (apt-get install python3-torch)." }
$bf16 = (Invoke-Ours $setup.cifar 'float32' 'none').Records | Where-Object name -eq 'environment'
# Images/s per step name: the training steps timed over -Steps repetitions, then the eval forward over -EvalSteps.
function Measure-Ours([hashtable] $S, [string] $Precision) {
    $records = @((Invoke-Ours $S $Precision $trainingSteps).Records) + @((Invoke-Ours $S $Precision 'eval_forward' -Reps $EvalSteps).Records)
    $result = @{}
    foreach ($r in $records | Where-Object name -in $stepNames) { $result[$r.name] = [double]$r.images_per_s }
    $result
}
function Measure-Peer([hashtable] $S, [switch] $Best) {
    $result = Invoke-Peer $S -Best:$Best -Only $trainingSteps -Reps $Steps
    $result += Invoke-Peer $S -Best:$Best -Only 'eval_forward' -Reps $EvalSteps
    $result
}
$variants = @(
    @{ Key = 'ours_fp32'; Run = { param($s) Measure-Ours $s 'float32' } }
    @{ Key = 'peer_fp32'; Run = { param($s) Measure-Peer $s } }
)
if ($bf16.bf16_supported) {
    $variants += @{ Key = 'ours_bf16'; Run = { param($s) Measure-Ours $s 'bfloat16' } }
}
$variants += @{ Key = 'peer_best'; Run = { param($s) Measure-Peer $s -Best } }

# samples[setting][variant][step] = images/s of each round; loads[setting] = load average after each run.
$samples = @{}
$loads = @{}
$torchVersion = $null
foreach ($setting in $Settings) {
    $samples[$setting] = @{}
    $loads[$setting] = [Collections.Generic.List[double]]::new()
    foreach ($v in $variants) { $samples[$setting][$v.Key] = @{}; foreach ($n in $stepNames) { $samples[$setting][$v.Key][$n] = [Collections.Generic.List[double]]::new() } }
    for ($round = 1; $round -le $Alternations; $round++) {
        foreach ($v in $variants) {
            Write-Host "[$setting round $round/$Alternations] $($v.Key), load $(Get-LoadAverage) ..."
            $result = & $v.Run $setup[$setting]
            foreach ($n in $stepNames) {
                $value = $result[$n]
                if ($null -ne $value) { $samples[$setting][$v.Key][$n].Add([double]$value) }
            }
            $loads[$setting].Add((Get-LoadAverage))
        }
    }
}

if (-not $NoExtra) {
    Write-Host 'One float32 run of the other lines, with a stage-1 profile ...'
    $extraLoadBefore = Get-LoadAverage
    $extra = Invoke-Ours $setup.cifar 'float32' 'stage1_scaling,miner,loader,gemm_gflops,rss_mb' -Profile -Extra '--rss-batches', '2'
    $profileBf16 = if ($bf16.bf16_supported) { (Invoke-Ours $setup.cifar 'bfloat16' 'none' -Profile).Profile }
    $extraLoadAfter = Get-LoadAverage
}

function Format-Spread($List) {
    $List = @($List)
    if ($List.Count -eq 0) { return '-' }
    $m = Get-Median $List
    # Three significant figures at least: the CUB steps run at single-digit images/s.
    $format = if ($m -lt 100) { '{0:N1} ({1:N1}–{2:N1})' } else { '{0:N0} ({1:N0}–{2:N0})' }
    $format -f $m, ($List | Measure-Object -Minimum).Minimum, ($List | Measure-Object -Maximum).Maximum
}
function Format-Ratio($Ours, $Peer) {
    $Ours = @($Ours)
    $Peer = @($Peer)
    if ($Ours.Count -eq 0 -or $Peer.Count -eq 0) { return '-' }
    '**{0:N2}×**' -f ((Get-Median $Ours) / (Get-Median $Peer))
}

$cpu = (Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', ''
$stamp = "Written by ``examples/compare-peer.ps1`` on $((Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm')) UTC " +
    "($Alternations alternating round(s) of $Steps timed training steps and $EvalSteps eval forwards each). CPU: $cpu, " +
    "$threads threads for both benches; bfloat16 native: $($bf16.bf16_supported); libtorch $($bf16.libtorch) (ours, " +
    "TorchSharp $($bf16.torchsharp)); torch $torchVersion (peer)."
# What this run writes, section by section. Every title names the CPU: a run replaces its own CPU's sections and keeps
# other CPUs' sections and everything written by hand or by the other scripts.
$sections = [Collections.Generic.List[string]]::new()
function Add-Section([string] $Title, [scriptblock] $Body) {
    $md = [Text.StringBuilder]::new()
    $null = $md.AppendLine("## $Title").AppendLine().AppendLine($stamp).AppendLine()
    & $Body $md
    $sections.Add($md.ToString())
}
foreach ($setting in $Settings) {
    $s = $setup[$setting]
    Add-Section "$setting on $cpu`: $($s.Arch) student, $($s.Teacher) teacher, $($s.ImageSize) px, $($s.Classes) classes, batch $($s.Batch)" {
        param($md)
        $load = $loads[$setting]
        $null = $md.AppendLine("Load average (1 min) after each run: $(($load | ForEach-Object { $_.ToString('0.##', [Globalization.CultureInfo]::InvariantCulture) }) -join ', ') " +
            "(the machine has $([Environment]::ProcessorCount) cores: above ~$threads, other work competed with the benches).").AppendLine()
        $null = $md.AppendLine('| step | ours float32 | peer float32 | ratio | ours bfloat16 | peer bf16 + channels-last | ratio |')
        $null = $md.AppendLine('|---|---:|---:|---:|---:|---:|---:|')
        $x = $samples[$setting]
        foreach ($n in $stepNames) {
            $oursBf16 = @(if ($x.ContainsKey('ours_bf16')) { $x['ours_bf16'][$n] })
            $null = $md.AppendLine("| $n | $(Format-Spread $x['ours_fp32'][$n]) | $(Format-Spread $x['peer_fp32'][$n]) | $(Format-Ratio $x['ours_fp32'][$n] $x['peer_fp32'][$n]) " +
                "| $(Format-Spread $oursBf16) | $(Format-Spread $x['peer_best'][$n]) | $(Format-Ratio $oursBf16 $x['peer_best'][$n]) |")
        }
    }
}

if (-not $NoExtra) {
    $records = $extra.Records
    Add-Section "Scaling, memory, loader on $cpu (cifar, float32, one run)" {
        param($md)
        $null = $md.AppendLine("Load average $extraLoadBefore before, $extraLoadAfter after.").AppendLine()
        $null = $md.AppendLine('| batch | miner ms (min–max) | triplets | triplet loss + backward ms (min–max) |').AppendLine('|---:|---:|---:|---:|')
        foreach ($m in $records | Where-Object name -eq 'miner') {
            $null = $md.AppendLine("| $($m.batch) | $($m.ms) ($($m.ms_min)–$($m.ms_max)) | $($m.triplets) | $($m.loss_ms) ($($m.loss_ms_min)–$($m.loss_ms_max)) |")
        }
        $scaling = $records | Where-Object name -eq 'stage1_scaling'
        if ($scaling) {
            $null = $md.AppendLine().AppendLine("Stage-1 step at batch $($scaling.batch): $($scaling.ms_per_step) ms (min $($scaling.ms_min), max $($scaling.ms_max)), $($scaling.images_per_s) images/s.")
        }
        $loader = $records | Where-Object name -eq 'loader'
        $gemm = $records | Where-Object name -eq 'gemm_gflops'
        $rss = @($records | Where-Object name -eq 'rss_mb' | Sort-Object epoch)
        $null = $md.AppendLine().AppendLine("Loader (augmented CIFAR-shaped, batch $($loader.batch)): $($loader.images_per_s) images/s. gemm ceiling: $($gemm.gflops) GFLOP/s.")
        $null = $md.AppendLine().AppendLine('RSS MB after each of 5 short stage-1 epochs (Trainer, synthetic data, 2 batches each): ' + (($rss | ForEach-Object { $_.rss_mb }) -join ', ') + '.')
    }
    $profiles = [ordered]@{ float32 = $extra.Profile }
    if ($profileBf16) { $profiles.bfloat16 = $profileBf16 }
    foreach ($precision in $profiles.Keys) {
        Add-Section "Where a stage-1 step goes on $cpu (cifar, $precision, medians)" {
            param($md)
            $null = $md.AppendLine('```')
            foreach ($line in $profiles[$precision]) { $null = $md.AppendLine($line) }
            $null = $md.AppendLine('```')
        }
    }
    Add-Section "Raw lines of the extra run on $cpu" {
        param($md)
        $null = $md.AppendLine('```')
        foreach ($line in $extra.Lines) { if ($line -like '{*') { $null = $md.AppendLine($line) } }
        $null = $md.AppendLine('```')
    }
}

$head = "# Performance`n`nRegenerate the speed tables with ``dotnet pwsh ./examples/compare-peer.ps1``: it rewrites the sections of " +
    'the CPU it runs on and keeps the rest. Images/s, **median over the rounds (lowest–highest round)**. Ours runs every ' +
    'frozen forward (the teacher, evaluation) through a copy with BatchNorm folded into the convolutions, channels-last ' +
    'weights and activations, under inference mode; the trained student takes channels-last activations with its float32 ' +
    'weights. Ours in bfloat16: the frozen teacher (and eval_forward) in bfloat16, the student''s convolutions under mixed ' +
    'precision (bfloat16 on casts of its float32 weights, as autocast), its BatchNorm, gradients and losses in float32. The ' +
    'peer''s best: `--bf16 --channels-last`, autocast on every forward, the student''s included. The peer''s stage 2 keeps ' +
    "the released order (student forward before the teacher's).`n"
Update-DocSections -Path $OutFile -Section $sections -NewFileHead $head
Write-Host "Wrote $OutFile"
