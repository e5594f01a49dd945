BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:root = Join-Path ([IO.Path]::GetTempPath()) "refilled-exp-$([guid]::NewGuid().ToString('N'))"
    $script:mnist = New-TinyMnist (Join-Path $root 'tiny-mnist') -Classes 4
    # A tiny experiment (New-TinyExperimentFile) with a lambda sweep unless told otherwise; one seed unless the sweep names seeds.
    function script:New-ExperimentFile([string] $Name, [int] $Stage2Epochs = 2, [string] $Sweep = "sweep:`n  lambda: [0.1, 1]", [string] $Extra = '') {
        New-TinyExperimentFile $root $Name -Stage2Epochs $Stage2Epochs -Seeds ($Sweep -match 'seeds' ? '' : 'seed: 3') -Rest "$Sweep`n$Extra"
    }
    function script:Test-Png([string] $Path) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        $bytes.Length -gt 1000 -and $bytes[0] -eq 0x89 -and $bytes[1] -eq 0x50 -and $bytes[2] -eq 0x4E -and $bytes[3] -eq 0x47
    }
}

AfterAll {
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Experiment files' {
    It 'reports an unknown key with its line, column and the closest valid key, and writes nothing' {
        $file = New-ExperimentFile 'typo' -Extra "resources:`n  cpu: 4"
        $out = Join-Path $root 'typo-out'
        { Invoke-RefilledExperiment $file -OutputPath $out } | Should -Throw "*typo.yaml:18:3: unknown key 'cpu' in 'resources'; did you mean 'cpus'*"
        Test-Path $out | Should -BeFalse
    }

    It 'reports wrong types and missing required fields with line and column' {
        $file = Join-Path $root 'bad.yaml'
        "name: bad`ndata:`n  validation_fraction: lots`nstudent: { architecture: smallcnn }`nstages:`n  stage1: { epochs: ten }`n" | Set-Content $file
        $e = { Invoke-RefilledExperiment $file -OutputPath (Join-Path $root 'bad-out') } | Should -Throw -PassThru
        $e.Exception.Message | Should -BeLike "*bad.yaml:3:24: 'data.validation_fraction' must be a number, not 'lots'*"
        $e.Exception.Message | Should -BeLike "*'data' needs 'classes'*"
        $e.Exception.Message | Should -BeLike "*6:21: 'stages.stage1.epochs' must be an integer, not 'ten'*"
        $e.FullyQualifiedErrorId | Should -BeLike 'Refilled.InvalidArgument*'
        Test-Path (Join-Path $root 'bad-out') | Should -BeFalse
    }

    It 'expands the sweep in file order, the last key fastest and seeds innermost; -WhatIf runs nothing' {
        $file = New-ExperimentFile 'grid' -Sweep "seeds: [0, 1]`nsweep:`n  lambda: [0.1, 1, 10]`n  tau2: [1, 4]"
        $runs = [Refilled.Engine.Experiments.Experiment]::Load($file).Expand()
        $runs.Count | Should -Be 12
        $runs[0].Id | Should -Be 'lambda=0.1_tau2=1_seed=0'
        $runs[1].Id | Should -Be 'lambda=0.1_tau2=1_seed=1'
        $runs[2].Id | Should -Be 'lambda=0.1_tau2=4_seed=0'
        $runs[11].Id | Should -Be 'lambda=10_tau2=4_seed=1'
        $runs[11].Config.Stage2.Lambda | Should -Be 10
        $runs[11].Config.Stage2.Tau | Should -Be 4
        $out = Join-Path $root 'grid-out'
        Invoke-RefilledExperiment $file -OutputPath $out -WhatIf | Should -BeNullOrEmpty
        Test-Path $out | Should -BeFalse
    }
}

Describe 'Running experiments' {
    BeforeAll {
        $script:sweep = New-ExperimentFile 'two'
        $script:out = Join-Path $root 'runs'
        $script:results = @(Invoke-RefilledExperiment $sweep -OutputPath $out)
    }

    It 'runs a two-run sweep into run folders and writes one flat result per run' {
        $results.Count | Should -Be 2
        $results.Status | Should -Be @('Completed', 'Completed')
        $results.'stage2.lambda' | Should -Be @(0.1, 1)
        $results.Method | Should -Be @('Refilled', 'Refilled')
        $results.RunIndex | Should -Be @(0, 1)
        foreach ($r in $results) {
            $r.ValidationAccuracy | Should -BeGreaterOrEqual 0
            $r.TestAccuracy | Should -BeGreaterOrEqual 0
            foreach ($f in 'config.yaml', 'metrics.csv', 'result.json', 'run.log', 'stage2.best.refilled', 'stage2.last.refilled') {
                Join-Path $r.Path $f | Should -Exist
            }
            (Import-Csv (Join-Path $r.Path 'metrics.csv')).Stage | Should -Be @('Stage1', 'Stage1', 'Stage2', 'Stage2')
            # NCM from the training images, and the transductive number under its own name.
            $json = Get-Content (Join-Path $r.Path 'result.json') -Raw | ConvertFrom-Json
            $json.ncm_accuracy | Should -BeGreaterOrEqual 0
            $json.ncm_transductive | Should -BeGreaterOrEqual 0
        }
        # config.yaml is the resolved run: one seed, the swept lambda, no sweep; and it is itself a valid experiment.
        $config = Get-Content (Join-Path $results[1].Path 'config.yaml') -Raw
        $config | Should -Match 'lambda: 1\b'
        $config | Should -Not -Match 'sweep'
        $path = Join-Path $results[1].Path 'config.yaml'
        [Refilled.Engine.Experiments.Experiment]::Load($path).RunCount | Should -Be 1
        ($results | ConvertTo-Csv | ConvertFrom-Csv).Count | Should -Be 2
    }

    It 'skips finished runs, and Get-RefilledRun lists them with their metrics' {
        $again = @(Invoke-RefilledExperiment $sweep -OutputPath $out)
        $again.Status | Should -Be @('Skipped', 'Skipped')
        $again[0].WeightsSha256 | Should -Be $results[0].WeightsSha256
        $runs = @(Get-RefilledRun $out)
        $runs.Count | Should -Be 2
        $runs.Status | Should -Be @('Completed', 'Completed')
        $runs[1].Result.TestAccuracy | Should -Be $results[1].TestAccuracy
        $runs[1].History.Count | Should -Be 4
        $runs[1].Values['lambda'] | Should -Be 1
        $runs[1].Result.Hyperparameters['stage2.lambda'] | Should -Be 1
        $runs[1].Result.Method | Should -Be 'Refilled'
    }

    It 'gives a baseline sweep''s varied value in its results: as a property, in Export-Csv and in Get-RefilledRun' {
        $file = New-TinyExperimentFile $root 'betas' -Seeds 'seed: 3' -Baseline '{ method: scratch, epochs: 1, lr: 0.05, batch: 16 }' `
            -Rest "sweep:`n  method: [scratch]`n  baseline.weight_decay: [0.001, 0.01]"
        $betaOut = Join-Path $root 'betas-runs'
        $rows = @(Invoke-RefilledExperiment $file -OutputPath $betaOut)
        $rows.Method | Should -Be @('Scratch', 'Scratch')
        $rows.'baseline.weight_decay' | Should -Be @(0.001, 0.01)
        $csv = Join-Path $root 'betas.csv'
        $rows | Export-Csv $csv -NoTypeInformation
        $read = @(Import-Csv $csv)
        $read.'baseline.weight_decay' | Should -Be @('0.001', '0.01')
        $read.'baseline.epochs' | Should -Be @('1', '1')
        $read[0].PSObject.Properties.Name | Should -Not -Contain 'stage2.lambda'
        (Get-RefilledRun $betaOut).Result.Hyperparameters.ForEach({ $_['baseline.weight_decay'] }) | Should -Be @(0.001, 0.01)
    }

    It 'skips a run whose lock a live process holds, with an error that makes a task exit non-zero; the lock dies with its holder' {
        $file = New-ExperimentFile 'locks' -Sweep ''
        $out2 = Join-Path $root 'lock-runs'
        $folder = Join-Path $out2 'locks/run'
        New-Item -ItemType Directory -Force $folder | Out-Null
        # util-linux flock(1) takes the same flock(2) lock that .NET takes for FileShare.None; --no-fork: one process.
        $holder = Start-Process flock -ArgumentList '--nonblock', '--no-fork', (Join-Path $folder 'run.lock'), 'sleep', '60' -PassThru
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(10)
            while (-not [Refilled.Engine.Experiments.RunLock]::IsHeld($folder) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $r = Invoke-RefilledExperiment $file -OutputPath $out2 -WarningVariable w -WarningAction SilentlyContinue -ErrorVariable e -ErrorAction SilentlyContinue
            $r.Status | Should -Be 'Locked'
            "$w" | Should -BeLike "*Skipping*holds its run.lock*"
            $e[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
            $e[0].FullyQualifiedErrorId | Should -BeLike 'Refilled.RunLocked*'
            # What a Slurm array task runs: it must fail, not exit 0 with nothing done.
            $command = "Import-Module '$env:REFILLED_MODULE_PATH'; Invoke-RefilledExperiment -Path '$file' -OutputPath '$out2' -RunIndex 0 -ErrorAction Stop | Out-Null"
            & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $command 2>&1 3>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0
        }
        finally { $holder | Stop-Process -Force -ErrorAction SilentlyContinue; $holder.WaitForExit() }
        # Killed with SIGKILL: its lock file is still there, but the lock died with it.
        Join-Path $folder 'run.lock' | Should -Exist
        $r = Invoke-RefilledExperiment $file -OutputPath $out2 -WarningVariable w
        $r.Status | Should -Be 'Completed'
        "$w" | Should -BeNullOrEmpty
    }

    It 'shows Pending, Completed and Failed runs of an experiment file, with the error of a failed one' {
        $file = New-ExperimentFile 'states'
        $out3 = Join-Path $root 'state-runs'
        (Get-RefilledRun $file -OutputPath $out3).Status | Should -Be @('Pending', 'Pending')
        Invoke-RefilledExperiment $file -OutputPath $out3 -RunIndex 1 | Out-Null
        $runs = @(Get-RefilledRun $file -OutputPath $out3)
        $runs.Status | Should -Be @('Pending', 'Completed')
        $runs.RunIndex | Should -Be @(0, 1)
        $runs[1].Holder | Should -BeLike "process * on $([Environment]::MachineName)"
        # Run 0 with a data folder that does not exist yet: the runner records the error before throwing it.
        $broken = Join-Path $root 'states-broken.yaml'
        (Get-Content $file -Raw) -replace './tiny-mnist', './nowhere' | Set-Content $broken
        { Invoke-RefilledExperiment $broken -OutputPath $out3 -RunIndex 0 } | Should -Throw '*nowhere*'
        $failed = Get-RefilledRun (Join-Path $out3 'states/lambda=0.1')
        $failed.Status | Should -Be 'Failed'
        $failed.Error | Should -BeLike '*nowhere*'
        ($failed | Format-Table | Out-String -Width 500) | Should -BeLike '*Failed*nowhere*'
        # Its data in place and run again: the error is gone with the failure.
        Copy-Item (Join-Path $root 'tiny-mnist') (Join-Path $root 'nowhere') -Recurse
        Invoke-RefilledExperiment $broken -OutputPath $out3 -RunIndex 0 | Out-Null
        (Get-RefilledRun $file -OutputPath $out3).Status | Should -Be @('Completed', 'Completed')
        Join-Path $out3 'states/lambda=0.1/error.txt' | Should -Not -Exist
    }

    It 'resumes a run killed mid-training to the same final weights as an uninterrupted run' {
        $file = New-ExperimentFile 'kill' -Stage2Epochs 15 -Sweep ''
        $killed = Join-Path $root 'killed'
        $metrics = Join-Path $killed 'kill/run/metrics.csv'
        $command = "Import-Module '$env:REFILLED_MODULE_PATH'; Invoke-RefilledExperiment -Path '$file' -OutputPath '$killed' | Out-Null"
        $child = [Diagnostics.Process]::Start([Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath,
                [string[]]@((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', $command)))
        try {
            # Generous: on a loaded shared machine, pretraining and stage 1 alone took over a minute.
            $deadline = [DateTime]::UtcNow.AddSeconds(240)
            # Kill once stage 2 has completed an epoch (3 rows: two of stage 1, one of stage 2), long before its 15th.
            while (-not $child.HasExited -and [DateTime]::UtcNow -lt $deadline -and
                -not ((Test-Path $metrics) -and @(Get-Content $metrics -ErrorAction SilentlyContinue).Count -ge 4)) {
                Start-Sleep -Milliseconds 20
            }
            $child.HasExited | Should -BeFalse -Because 'the run must still be training when it is killed'
            $child.Kill($true)
            $child.WaitForExit()
        }
        finally { if (-not $child.HasExited) { $child.Kill($true) } }
        Join-Path $killed 'kill/run/result.json' | Should -Not -Exist
        Join-Path $killed 'kill/run/stage2.state' | Should -Exist
        (Get-RefilledRun (Join-Path $killed 'kill')).Status | Should -Be 'Cancelled'

        $resumed = Invoke-RefilledExperiment $file -OutputPath $killed -WarningAction SilentlyContinue
        $straight = Invoke-RefilledExperiment $file -OutputPath (Join-Path $root 'straight')
        $resumed.Status | Should -Be 'Completed'
        (Get-Content (Join-Path $killed 'kill/run/run.log') -Raw) | Should -Match 'Stage2: resuming after epoch [1-9]'
        $resumed.WeightsSha256 | Should -Be $straight.WeightsSha256
        $resumed.ValidationAccuracy | Should -Be $straight.ValidationAccuracy
        $resumed.TestAccuracy | Should -Be $straight.TestAccuracy
        $resumed.NcmAccuracy | Should -Be $straight.NcmAccuracy
        @(Import-Csv (Join-Path $killed 'kill/run/metrics.csv')).Count | Should -Be 17
    }

    It 'exports a report with valid PNGs and a self-contained HTML (one swept axis: no heatmap; one method: no paired chart)' {
        $files = @(Export-RefilledReport (Join-Path $out 'two') -OutputPath (Join-Path $root 'report'))
        $files.Name | Should -Be @('accuracy.png', 'curves.png', 'losses.png', 'report.html')
        foreach ($png in $files | Where-Object Extension -eq '.png') { Test-Png $png.FullName | Should -BeTrue }
        $html = Get-Content ($files | Where-Object Name -eq 'report.html').FullName -Raw
        $html | Should -Match '^<!DOCTYPE html>'
        ([regex]::Matches($html, '<img [^>]*src="data:image/png;base64,')).Count | Should -Be 3
        $html | Should -Match '</html>\s*$'
    }

    It 'writes a Slurm array script that bash accepts, one task per run in expansion order' {
        $file = New-ExperimentFile 'slurm' -Sweep "seeds: [0, 1]`nsweep:`n  lambda: [0.1, 1, 10]" -Extra "resources: { cpus: 4, mem: 8G, time: '02:00:00', partition: short }"
        $script = Export-RefilledSweep $file -Format SlurmArray -OutputPath (Join-Path $root 'slurm.sh') -RunOutputPath (Join-Path $root 'slurm-runs')
        $text = Get-Content $script.FullName -Raw
        $text | Should -Match '(?m)^#SBATCH --array=0-5$'
        $text | Should -Match '(?m)^#SBATCH --cpus-per-task=4$'
        $text | Should -Match '(?m)^#SBATCH --mem=8G$'
        $text | Should -Match '(?m)^#SBATCH --time=02:00:00$'
        $text | Should -Match '(?m)^#SBATCH --partition=short$'
        $text | Should -Match '-RunIndex \$env:SLURM_ARRAY_TASK_ID'
        & bash -n $script.FullName
        $LASTEXITCODE | Should -Be 0
        $runs = [Refilled.Engine.Experiments.Experiment]::Load($file).Expand()
        foreach ($run in $runs) { $text | Should -Match "(?m)^#\s+$($run.Index)  slurm/$([regex]::Escape($run.Id))$" }
        # Task 3 runs exactly run 3 of the grid.
        $r = Invoke-RefilledExperiment $file -OutputPath (Join-Path $root 'slurm-runs') -RunIndex 3
        $r.RunId | Should -Be $runs[3].Id
        $r.RunId | Should -Be 'lambda=1_seed=1'
        (Get-ChildItem (Join-Path $root 'slurm-runs/slurm') -Directory | Where-Object Name -ne 'teachers' | Where-Object Name -ne 'slurm').Name | Should -Be 'lambda=1_seed=1'
    }
}
