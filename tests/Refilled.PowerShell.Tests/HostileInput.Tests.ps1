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
        $err = { Export-RefilledSweep $file -Format SlurmArray -OutputPath $script -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.FileExists,*'
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        $err.TargetObject | Should -Be $script
        Get-Content $script | Should -Be 'edited by hand'
        (Export-RefilledSweep $file -Format SlurmArray -OutputPath $script -Force).FullName | Should -Be $script
        Get-Content $script -Raw | Should -Match '#SBATCH --array=0-0'
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
        $err = { Export-RefilledReport $runs -OutputPath $report -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.FileExists,*'
        Get-Content $html | Should -Be 'kept'
        Export-RefilledReport $runs -OutputPath $report -Force | Out-Null
        Get-Content $html -Raw | Should -Match '^<!DOCTYPE html>'
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
