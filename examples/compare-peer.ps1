#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Runs Refilled's bench and the PyTorch peer in the same session, prints ours / peer / ratio, writes docs/performance.md.
.DESCRIPTION
    Ours: `build.ps1 -Task Bench` (JSON lines). The peer: ../shared/peer/bench_torch.py beside the repository, run with
    /usr/bin/python3 (Debian's python3-torch) at the same batch and thread count, only if that interpreter imports torch.
    The load average is recorded before and after each bench: the figures are only comparable within one run.
.EXAMPLE
    dotnet pwsh ./examples/compare-peer.ps1
.EXAMPLE
    dotnet pwsh ./examples/compare-peer.ps1 -Quick -Arch wrn-16-2 -OutFile /tmp/perf.md
#>
[CmdletBinding()]
param(
    [switch] $Quick,
    [string] $Arch = 'wrn-16-1',
    # Peer timed steps (it reports the mean of these after its own warm-up).
    [int] $PeerSteps = 5,
    [string] $OutFile
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = Split-Path $PSScriptRoot -Parent
$dotnet = [Environment]::ProcessPath
if (-not $OutFile) { $OutFile = Join-Path $root 'docs/performance.md' }
$peerScript = [IO.Path]::GetFullPath((Join-Path $root '../shared/peer/bench_torch.py'))
$python = '/usr/bin/python3'

function Get-LoadAverage { [double]((Get-Content /proc/loadavg -Raw).Split(' ')[0]) }

$loadBefore = Get-LoadAverage
Write-Host "Load average $loadBefore; running Refilled.Bench ..."
$ourLines = & $dotnet pwsh (Join-Path $root 'build.ps1') -Task Bench -Arch $Arch -Quick:$Quick
if ($LASTEXITCODE -ne 0) { throw "The Bench task failed with exit code $LASTEXITCODE." }
$ours = @($ourLines | Where-Object { $_ -like '{*' } | ForEach-Object { $_ | ConvertFrom-Json })
$loadAfterOurs = Get-LoadAverage
$envLine = $ours | Where-Object name -eq 'environment'
$stage1 = $ours | Where-Object name -eq 'stage1_step'
$batch = $stage1.batch
$threads = $stage1.threads

$peer = @{}
$torchVersion = $null
$peerNote = $null
$loadAfterPeer = $null
if ((Test-Path $python) -and (Test-Path $peerScript)) {
    & $python -c 'import torch' 2>$null
    if ($LASTEXITCODE -eq 0) {
        Write-Host "Running the peer: $peerScript --arch $Arch --batch $batch --threads $threads --steps $PeerSteps ..."
        $peerLines = & $python $peerScript --arch $Arch --batch $batch --threads $threads --steps $PeerSteps
        if ($LASTEXITCODE -ne 0) { throw "The peer failed with exit code $LASTEXITCODE." }
        foreach ($line in $peerLines) {
            if ($line -match '^torch (\S+)') { $torchVersion = $Matches[1] }
            elseif ($line -match '^(\w+_(step|forward)) ([0-9.]+)$') { $peer[$Matches[1]] = [double]$Matches[3] }
            elseif ($line -match '^# stage1_step \(triplets/step (\d+)\)') { $peer['triplets'] = [int]$Matches[1] }
        }
        $loadAfterPeer = Get-LoadAverage
    }
    else { $peerNote = "$python cannot import torch (apt-get install python3-torch)." }
}
else { $peerNote = "No peer: $python or $peerScript is missing." }
if ($peerNote) { Write-Warning $peerNote }

$rows = foreach ($name in 'stage1_step', 'stage1_tuple_step', 'stage2_step', 'ce_step', 'eval_forward') {
    $o = $ours | Where-Object name -eq $name
    $p = if ($peer.ContainsKey($name)) { $peer[$name] } else { $null }
    [pscustomobject]@{
        Step        = $name
        OursImgPerS = [math]::Round($o.images_per_s, 1)
        OursMsStep  = [math]::Round($o.ms_per_step, 1)
        PeerImgPerS = if ($p) { [math]::Round($p, 1) } else { $null }
        Ratio       = if ($p) { [math]::Round($o.images_per_s / $p, 2) } else { $null }
    }
}
$rows | Format-Table -AutoSize | Out-Host

$miner = @($ours | Where-Object name -eq 'miner')
$loader = $ours | Where-Object name -eq 'loader'
$gemm = $ours | Where-Object name -eq 'gemm_gflops'
$flops = $ours | Where-Object name -eq 'stage1_flops'
$rss = @($ours | Where-Object name -eq 'rss_mb' | Sort-Object epoch)
$rssDrift = if ($rss.Count -ge 5) { ($rss[4].rss_mb - $rss[1].rss_mb) / $rss[1].rss_mb * 100 } else { $null }
$floorRatio = $stage1.ms_per_step / $flops.floor_ms
$cpu = (Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', ''
$ramGb = [math]::Round([double](((Get-Content /proc/meminfo | Select-Object -First 1) -split '\s+')[1]) / 1MB, 1)
$nproc = (& nproc).Trim()

$md = [Text.StringBuilder]::new()
$null = $md.AppendLine('# Performance').AppendLine()
$null = $md.AppendLine("Written by ``examples/compare-peer.ps1`` on $((Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm')) UTC" +
    $(if ($Quick) { ' (**-Quick**: small batch, not a measurement)' } else { '' }) + '. Regenerate it with')
$null = $md.AppendLine().AppendLine('    dotnet pwsh ./examples/compare-peer.ps1').AppendLine()
# Each bench itself keeps about $threads cores busy; load beyond that (or before we start) is other work.
$maxLoad = (@($loadBefore, $loadAfterOurs, $loadAfterPeer) | Where-Object { $null -ne $_ } | Measure-Object -Maximum).Maximum
if ($loadBefore -gt 0.75 -or $maxLoad -gt [double]$threads + 0.75) {
    $warning = "The 1-minute load average was $loadBefore before and reached $maxLoad during this run (other work on the machine): with $threads threads on $((& nproc).Trim()) cores " +
        'both benches lose CPU to it, unevenly; re-run on an idle machine before trusting a ratio.'
    Write-Warning $warning
    $null = $md.AppendLine("> **Load:** $warning").AppendLine()
}
$null = $md.AppendLine('## Machine').AppendLine()
$null = $md.AppendLine("| | |").AppendLine('|---|---|')
$null = $md.AppendLine("| cores (nproc) | $nproc |")
$null = $md.AppendLine("| CPU | $cpu |")
$null = $md.AppendLine("| RAM | $ramGb GB |")
$null = $md.AppendLine("| libtorch (ours, via TorchSharp $($envLine.torchsharp)) | $($envLine.libtorch) |")
$null = $md.AppendLine("| torch (peer) | $(if ($torchVersion) { $torchVersion } else { 'not run' }) |")
$null = $md.AppendLine("| threads (both) | $threads |")
$null = $md.AppendLine("| load average (1 min) before / after ours / after peer | $loadBefore / $loadAfterOurs / $(if ($null -ne $loadAfterPeer) { $loadAfterPeer } else { '-' }) |")
$null = $md.AppendLine().AppendLine("## Training steps: $Arch student, $($stage1.teacher) teacher, batch $batch").AppendLine()
$null = $md.AppendLine('Ours: median of 5 timed steps after warm-up (`Refilled.Bench`, the objectives'' `Step` + backward + SGD as in `Trainer`). ' +
    "Peer: mean of $PeerSteps steps after 2 warm-up steps (``bench_torch.py``). Ratio = ours / peer images/s.").AppendLine()
$null = $md.AppendLine('| step | ours images/s | ours ms/step | peer images/s | ratio |').AppendLine('|---|---:|---:|---:|---:|')
foreach ($r in $rows) {
    $null = $md.AppendLine("| $($r.Step) | $($r.OursImgPerS) | $($r.OursMsStep) | $(if ($r.PeerImgPerS) { $r.PeerImgPerS } else { '-' }) | $(if ($r.Ratio) { $r.Ratio } else { '-' }) |")
}
if ($peerNote) { $null = $md.AppendLine().AppendLine("Peer not run: $peerNote") }
$null = $md.AppendLine().AppendLine("Stage-1 triplets per batch: ours $($stage1.triplets), peer $(if ($peer.ContainsKey('triplets')) { $peer['triplets'] } else { '-' }) (random labels over 100 classes).")
$null = $md.AppendLine().AppendLine('## Stage-1 FLOPs against the gemm floor').AppendLine()
$null = $md.AppendLine('Counted per convolution (H_out·W_out·C_out·C_in·k², plus fc) from the architecture on 32×32 inputs; ' +
    'BatchNorm, ReLU, adds and pooling are elementwise and left out; backward ≈ 2× forward, so a student training pass ≈ 3× its forward.').AppendLine()
$null = $md.AppendLine("| | |").AppendLine('|---|---:|')
$null = $md.AppendLine("| teacher $($flops.teacher) forward, batch $batch | $($flops.teacher_forward_gflop) GFLOP |")
$null = $md.AppendLine("| student $Arch forward + backward, batch $batch | $($flops.student_train_gflop) GFLOP |")
$null = $md.AppendLine("| stage-1 step total | **$($flops.gflop) GFLOP** |")
$null = $md.AppendLine("| gemm_gflops (2048² float32 matmul, $threads threads, same run) | $($gemm.gflops) GFLOP/s |")
$null = $md.AppendLine("| floor = FLOPs / gemm | $($flops.floor_ms) ms |")
$null = $md.AppendLine("| measured stage-1 step | $($stage1.ms_per_step) ms = **$([math]::Round($floorRatio, 2))× the floor** (goal ≤ 2×) |")
$null = $md.AppendLine().AppendLine('## Memory, miner, loader').AppendLine()
$null = $md.AppendLine('| epoch of 5 short stage-1 epochs (Trainer, synthetic CIFAR-shaped data) | ' + (($rss | ForEach-Object { $_.epoch }) -join ' | ') + ' |')
$null = $md.AppendLine('|---|' + ('---:|' * $rss.Count))
$null = $md.AppendLine('| RSS MB | ' + (($rss | ForEach-Object { $_.rss_mb }) -join ' | ') + ' |')
if ($null -ne $rssDrift) { $null = $md.AppendLine().AppendLine("Epoch 5 vs epoch 2: $([math]::Round($rssDrift, 2)) % (goal within 5 %).") }
$null = $md.AppendLine().AppendLine('The trainer calls glibc''s `malloc_trim` after each epoch of a second or more (`NativeHeap.Trim`): without it freed libtorch buffers stay in ' +
    'glibc''s per-thread arenas and the RSS wandered between 690 and 740 MB from epoch to epoch (±5 %, no trend; the managed heap stayed at 7 MB); with it, about 210 MB and flat.')
$null = $md.AppendLine()
foreach ($m in $miner) { $null = $md.AppendLine("- miner, B = $($m.batch): $($m.ms) ms ($($m.triplets) triplets)") }
$null = $md.AppendLine("- loader (augmented CIFAR-shaped, batch $($loader.batch)): $($loader.images_per_s) images/s (goal ≥ 5,000)")
$null = $md.AppendLine().AppendLine('## Raw lines').AppendLine().AppendLine('```')
foreach ($line in $ourLines) { if ($line -like '{*') { $null = $md.AppendLine($line) } }
$null = $md.AppendLine('```')
New-Item -ItemType Directory -Force (Split-Path $OutFile) | Out-Null
Set-Content -Path $OutFile -Value $md.ToString() -NoNewline
Write-Host "threads $threads, load average $loadBefore -> $loadAfterOurs -> $loadAfterPeer; stage-1 step $([math]::Round($floorRatio, 2))x the gemm floor; RSS epoch 5 vs 2: $([math]::Round([double]$rssDrift, 2)) %; loader $($loader.images_per_s) images/s"
Write-Host "Wrote $OutFile"
