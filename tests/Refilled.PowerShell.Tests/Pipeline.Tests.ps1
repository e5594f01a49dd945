BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:root = Join-Path ([IO.Path]::GetTempPath()) "refilled-pester-$([guid]::NewGuid().ToString('N'))"
    $script:mnist = New-TinyMnist (Join-Path $root 'tiny-mnist') -Classes 4
    $common = @{ Path = $mnist; Seed = 3 }
    $script:teacherData = Get-RefilledDataset Mnist @common -Split Train -Classes 0, 1
    $script:train = Get-RefilledDataset Mnist @common -Split Train -Classes 2, 3 -ValidationFraction 0.25
    $script:val = Get-RefilledDataset Mnist @common -Split Validation -Classes 2, 3 -ValidationFraction 0.25
    $script:test = Get-RefilledDataset Mnist @common -Split Test -Classes 2, 3
    $fast = @{ Epochs = 2; BatchSize = 16; LearningRate = 0.05; Threads = 2 }
    $script:fast = $fast
    $script:teacher = Invoke-RefilledPretraining smallcnn -Data $teacherData @fast
}

AfterAll {
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The REFILLED pipeline' {
    It 'runs pretraining, stage 1, stage 2 and Measure-Student end to end, and the student learns' {
        # Two classes, one bright square each: chance is 0.5, and 6 stage-2 epochs reach 1.0 for seeds 1 to 5.
        $stage2 = @{ Epochs = 6; BatchSize = 16; LearningRate = 0.05; Threads = 2 }
        $m = New-Student smallcnn -Dataset $train -Seed 1 |
            Invoke-RefilledStage1 -Teacher $teacher -Data $train -ValidationData $val @fast -Seed 1 |
            Invoke-RefilledStage2 -Teacher $teacher -Data $train -ValidationData $val -Lambda 1 @stage2 -Seed 1 |
            Measure-Student -Data $test -Reference $train
        $m.Accuracy | Should -BeGreaterOrEqual 0.9
        $m.NcmAccuracy | Should -BeGreaterOrEqual 0.9
        $m.NcmTransductive | Should -BeGreaterOrEqual 0.9
        $m.Samples | Should -Be $test.Count
        $m.PerClassAccuracy | Should -Match '^2=[0-9.]+;3=[0-9.]+$'
    }

    It 'records one history row per epoch and stage on the student' {
        $s = New-Student smallcnn -Dataset $train |
            Invoke-RefilledStage1 -Teacher $teacher -Data $train -ValidationData $val @fast |
            Invoke-RefilledStage2 -Teacher $teacher -Data $train -ValidationData $val @fast
        $s.History.Count | Should -Be 4
        ($s.History | Select-Object -ExpandProperty Stage) | Should -Be @('Stage1', 'Stage1', 'Stage2', 'Stage2')
        $s.History[0].ValidationMetricName | Should -Be 'ncm_transductive'
        $s.History[0].TripletsPerBatch | Should -BeGreaterThan 0
        $s.Stage | Should -Be 'Stage2'
    }

    It 'binds Teacher and Data by property name' {
        $s = New-Student smallcnn -Dataset $train
        $s = [pscustomobject]@{ Student = $s; Teacher = $teacher; Data = $train } |
            ForEach-Object { $_.Student | Invoke-RefilledStage1 -Teacher $_.Teacher -Data $_.Data @fast }
        $s.History.Count | Should -Be 2
        $bound = [pscustomobject]@{ Teacher = $teacher; Data = $train } | Invoke-RefilledStage1 -Student (New-Student smallcnn -Dataset $train) @fast
        $bound.History.Count | Should -Be 2
    }

    It 'gives identical accuracy for the same seed twice' {
        $runs = 1..2 | ForEach-Object {
            New-Student smallcnn -Dataset $train -Seed 5 |
                Invoke-RefilledStage1 -Teacher $teacher -Data $train @fast -Seed 5 |
                Invoke-RefilledStage2 -Teacher $teacher -Data $train @fast -Seed 5 |
                Measure-Student -Data $test -Reference $train
        }
        $runs[0].Accuracy | Should -Be $runs[1].Accuracy
        $runs[0].NcmAccuracy | Should -Not -BeNullOrEmpty
        $runs[0].NcmAccuracy | Should -Be $runs[1].NcmAccuracy
    }

    It 'trains the Scratch baseline' {
        $s = New-Student smallcnn -Dataset $train | Invoke-RefilledBaseline Scratch -Data $train -ValidationData $val @fast
        $s.Stage | Should -Be 'Scratch'
        $s.History[-1].TrainAccuracy | Should -Not -BeNullOrEmpty
    }

    It 'trains Hinton KD with a teacher of the same classes' {
        $sameClassTeacher = Invoke-RefilledPretraining smallcnn -Data $train @fast
        $s = New-Student smallcnn -Dataset $train | Invoke-RefilledBaseline KnowledgeDistillation -Teacher $sameClassTeacher -Data $train @fast
        $s.Stage | Should -Be 'KnowledgeDistillation'
    }

    It 'gives Measure-Student rows that Export-Csv and ConvertTo-Json write cleanly' {
        $m = New-Student smallcnn -Dataset $train | Measure-Student -Data $test
        $csv = Join-Path $root 'measure.csv'
        $m | Export-Csv $csv
        $row = Import-Csv $csv
        $row.Architecture | Should -Be 'smallcnn'
        [double]$row.NcmTransductive | Should -Be $m.NcmTransductive
        $row.NcmAccuracy | Should -BeNullOrEmpty
        (Get-Content $csv -Raw) | Should -Not -Match 'System\.'
        ($m | ConvertTo-Json | ConvertFrom-Json).Samples | Should -Be $test.Count
    }

    It 'measures a cross-task teacher by NCM only' {
        $m = $teacher | Measure-Student -Data $test -Reference $train
        $m.Accuracy | Should -BeNullOrEmpty
        $m.NcmAccuracy | Should -BeGreaterThan 0
        $m.NcmTransductive | Should -BeGreaterThan 0
    }

    It 'takes the NCM class means from -Reference: the measured set as its own reference is the transductive number' {
        $m = $teacher | Measure-Student -Data $test -Reference $test
        $m.NcmAccuracy | Should -Be $m.NcmTransductive
        ($teacher | Measure-Student -Data $test).NcmAccuracy | Should -BeNullOrEmpty
    }

    It 'rejects a -Reference with other classes than the measured data' {
        $err = { $teacher | Measure-Student -Data $test -Reference $teacherData } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.ReferenceClassMismatch,*'
        $err.Exception.Message | Should -Match 'same order'
    }
}

Describe 'Checkpoints from the pipeline' {
    It 'round-trips Export-RefilledModel and Import-Student with equal measurements' {
        $s = New-Student smallcnn -Dataset $train | Invoke-RefilledBaseline Scratch -Data $train @fast
        $file = Join-Path $root 'student.refilled'
        $s | Export-RefilledModel $file
        $back = Import-Student $file
        $back.Classes | Should -Be $s.Classes
        $back.Stage | Should -Be 'Scratch'
        ($back | Measure-Student -Data $test).Accuracy | Should -Be ($s | Measure-Student -Data $test).Accuracy
    }

    It 'writes nothing with -WhatIf' {
        $file = Join-Path $root 'whatif.refilled'
        New-Student smallcnn -Dataset $train | Export-RefilledModel $file -WhatIf
        Test-Path $file | Should -BeFalse
    }

    It 'refuses to overwrite without -Force and replaces with it' {
        $file = Join-Path $root 'twice.refilled'
        $teacher | Export-RefilledModel $file
        { $teacher | Export-RefilledModel $file -ErrorAction Stop } | Should -Throw -ErrorId 'Refilled.FileExists,*'
        $teacher | Export-RefilledModel $file -Force -PassThru | Should -Be $teacher
    }

    It 'imports a saved teacher with its classes' {
        $file = Join-Path $root 'teacher.refilled'
        $teacher | Export-RefilledModel $file -Force
        $t = Import-Teacher $file
        $t.Classes | Should -Be @(0, 1)
        $t.Architecture | Should -Be 'smallcnn'
    }
}

Describe 'Errors' {
    It 'reports a missing file as ObjectNotFound with the path as target' {
        $missing = Join-Path $root 'nope.model'
        $err = { Import-Teacher $missing -Architecture wrn-16-2 -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.FileNotFound,*'
        $err.TargetObject | Should -Be $missing
    }

    It 'reports a bad architecture spec as InvalidArgument listing the valid forms' {
        $err = { New-Student wrn-banana -ClassCount 3 -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match 'wrn-'
        $err.Exception.Message | Should -Not -Match '\(Parameter'
        $err.Exception.Message | Should -Match '\.$'
        $err.TargetObject | Should -Be 'wrn-banana'
    }

    It 'rejects a bad parameter value before training' {
        { New-Student smallcnn -Dataset $train | Invoke-RefilledStage1 -Teacher $teacher -Data $train -Epochs 0 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'refuses Hinton KD with a teacher of other classes' {
        $err = { New-Student smallcnn -Dataset $train | Invoke-RefilledBaseline KnowledgeDistillation -Teacher $teacher -Data $train @fast -ErrorAction Stop } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.ClassMismatch,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
    }

    It 'refuses a teacher whose embedding cannot read the data' {
        $file = Join-Path $root 'colour.refilled'
        New-Student resnet-20 -ClassCount 10 | Export-RefilledModel $file -Force
        $colourTeacher = Import-Teacher $file
        $err = { New-Student smallcnn -Dataset $train | Invoke-RefilledStage1 -Teacher $colourTeacher -Data $train @fast -ErrorAction Stop } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.InputShapeMismatch,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
    }

    It 'refuses a student with the wrong number of outputs for stage 2' {
        $err = { New-Student smallcnn -ClassCount 7 | Invoke-RefilledStage2 -Teacher $teacher -Data $train @fast -ErrorAction Stop } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.ClassCountMismatch,*'
    }

    It 'stops a diverging run with a clear message suggesting a lower learning rate' {
        $s = New-Student smallcnn -Dataset $train
        foreach ($p in $s.Network.parameters()) { $null = $p.detach().fill_([double]::NaN) }
        $err = { $s | Invoke-RefilledBaseline Scratch -Data $train @fast -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.LossNotFinite,*'
        $err.Exception.Message | Should -Match 'lower learning rate'
    }

    It 'reports a corrupt checkpoint as InvalidData naming the file' {
        $bad = Join-Path $root 'corrupt.refilled'
        [IO.File]::WriteAllBytes($bad, [byte[]](1..200 | ForEach-Object { $_ % 256 }))
        $err = { Import-Student $bad -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -Match ([regex]::Escape('corrupt.refilled'))
    }
}

Describe 'Stopping a run (Ctrl+C)' {
    It 'keeps the student usable and the checkpoint intact' {
        $student = New-Student smallcnn -Dataset $train -Seed 2
        $checkpoint = Join-Path $root 'stopped.refilled'
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($ModulePath, $Student, $Teacher, $Data, $Checkpoint)
                Import-Module $ModulePath
                $Student | Invoke-RefilledStage1 -Teacher $Teacher -Data $Data -Epochs 500 -BatchSize 16 -CheckpointPath $Checkpoint
            }).AddParameters(@{ ModulePath = $env:REFILLED_MODULE_PATH; Student = $student; Teacher = $teacher; Data = $train; Checkpoint = $checkpoint })
        $async = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (Test-Path $checkpoint) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
        Start-Sleep -Milliseconds 300
        $ps.Stop()
        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        $ps.Dispose()

        Test-Path $checkpoint | Should -BeTrue
        $saved = Import-Student $checkpoint
        $saved.Architecture | Should -Be 'smallcnn'
        $student.History.Count | Should -BeLessThan 500
        ($student | Measure-Student -Data $test).NcmTransductive | Should -BeGreaterOrEqual 0
        $again = $student | Invoke-RefilledStage1 -Teacher $teacher -Data $train -Epochs 1 -BatchSize 16
        $again | Should -Be $student
    }
}

Describe 'Resuming a stopped run (-CheckpointPath)' {
    It 'continues a run stopped by Ctrl+C from its last completed epoch, to the weights and History of a run that never stopped' {
        $checkpoint = Join-Path $root 'resumable.refilled'
        $state = "$checkpoint.state"
        $stage2 = @{ Teacher = $teacher; Data = $train; ValidationData = $val; Epochs = 30; BatchSize = 16; LearningRate = 0.05; Threads = 2; Seed = 4 }
        $student = New-Student smallcnn-16 -Dataset $train -Seed 5
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript({
                    param($ModulePath, $Student, $Options, $Checkpoint)
                    Import-Module $ModulePath
                    $Student | Invoke-RefilledStage2 @Options -CheckpointPath $Checkpoint -WarningAction SilentlyContinue
                }).AddParameters(@{ ModulePath = $env:REFILLED_MODULE_PATH; Student = $student; Options = $stage2; Checkpoint = $checkpoint })
            $async = $ps.BeginInvoke()
            # The state is written after the first completed epoch (then at most every 10 s): stopped once it exists.
            $deadline = [DateTime]::UtcNow.AddSeconds(120)
            while (-not $async.IsCompleted -and -not (Test-Path $state) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $async.IsCompleted | Should -BeFalse -Because 'the run must still be training when it is stopped'
            $ps.Stop()
        }
        finally { $ps.Dispose() }
        $state | Should -Exist

        $student.History.Count | Should -BeGreaterThan 0 -Because 'the stopped run recorded its epochs on the student'
        # Without -Force: the state beside the checkpoint resumes the run. Given the stopped student again, its epochs
        # before the stop are recorded once.
        $output = $student | Invoke-RefilledStage2 @stage2 -CheckpointPath $checkpoint -Verbose 4>&1
        $resumed = $output | Where-Object { $_ -is [Refilled.PowerShell.Objects.Student] }
        ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -join "`n" | Should -Match 'Stage2: resuming after epoch [1-9]'
        $state | Should -Not -Exist -Because 'a completed run needs no state'
        $straight = New-Student smallcnn-16 -Dataset $train -Seed 5 | Invoke-RefilledStage2 @stage2
        $resumed.History.Count | Should -Be 30
        $resumed.History.Epoch | Should -Be (1..30)
        $resumed.History.Loss | Should -Be $straight.History.Loss
        $resumed.History.ValidationMetric | Should -Be $straight.History.ValidationMetric
        $sha = [Refilled.Engine.Experiments.ExperimentRunner]::WeightsSha256($straight.Network)
        [Refilled.Engine.Experiments.ExperimentRunner]::WeightsSha256($resumed.Network) | Should -Be $sha
        [Refilled.Engine.Experiments.ExperimentRunner]::WeightsSha256((Import-Student $checkpoint).Network) | Should -Be $sha

        # A finished run's checkpoint has no state: refused without -Force, as any existing file.
        $err = { New-Student smallcnn-16 -Dataset $train | Invoke-RefilledStage2 @stage2 -Epochs 1 -CheckpointPath $checkpoint -ErrorAction Stop } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.FileExists,*'
    }

    It 'starts a stopped run over with -Force' {
        $checkpoint = Join-Path $root 'restarted.refilled'
        $options = @{ Data = $train; Epochs = 2; BatchSize = 16; LearningRate = 0.05; Threads = 2; Seed = 4 }
        $student = New-Student smallcnn-16 -Dataset $train -Seed 5
        # The state of another network: resuming from it would fail, -Force never reads it.
        $other = Invoke-RefilledPretraining smallcnn -Data $train @options -CheckpointPath (Join-Path $root 'other.refilled')
        [Refilled.Engine.Training.TrainingStateFile]::Save("$checkpoint.state", $other.Network, [Refilled.Engine.Training.TrainingState]::new())
        'old' | Set-Content $checkpoint
        { $student | Invoke-RefilledBaseline Scratch @options -CheckpointPath $checkpoint -ErrorAction Stop } | Should -Throw -ExpectedMessage "*not those of smallcnn-16*"
        $forced = New-Student smallcnn-16 -Dataset $train -Seed 5 | Invoke-RefilledBaseline Scratch @options -CheckpointPath $checkpoint -Force
        $straight = New-Student smallcnn-16 -Dataset $train -Seed 5 | Invoke-RefilledBaseline Scratch @options
        [Refilled.Engine.Experiments.ExperimentRunner]::WeightsSha256($forced.Network) | Should -Be ([Refilled.Engine.Experiments.ExperimentRunner]::WeightsSha256($straight.Network))
        "$checkpoint.state" | Should -Not -Exist
    }
}
