# Mistakes a new user makes, each of which once gave a wrong number or a wrong file without an error (issue 24).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:root = Join-Path ([IO.Path]::GetTempPath()) "refilled-pester-$([guid]::NewGuid().ToString('N'))"
    $script:mnist = New-TinyMnist (Join-Path $root 'tiny-mnist') -Classes 4 -TrainPerClass 12 -TestPerClass 4
    $common = @{ Path = $mnist; Seed = 3 }
    $script:digits01 = Get-RefilledDataset Mnist @common -Split Train -Classes 0, 1
    $script:digits23 = Get-RefilledDataset Mnist @common -Split Train -Classes 2, 3
    $script:test23 = Get-RefilledDataset Mnist @common -Split Test -Classes 2, 3
    $script:fast = @{ Epochs = 1; BatchSize = 12; LearningRate = 0.05; Threads = 2 }
    $script:teacher = Invoke-RefilledPretraining smallcnn -Data $digits01 @fast
    $script:teacherFile = Join-Path $root 'teacher.refilled'
    $teacher | Export-RefilledModel $teacherFile
}

AfterAll {
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Class ids are checked wherever a model meets data or a teacher' {
    It 'refuses Import-Teacher -Classes that do not give one id per output' {
        $err = { Import-Teacher $teacherFile -Classes 0..9 -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.ClassCountMismatch,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be (0..9)
        $err.Exception.Message | Should -Match '2 outputs'
        { Import-Teacher $teacherFile -Classes 7, 7 -ErrorAction Stop } | Should -Throw -ErrorId 'Refilled.DuplicateClass,*'
        (Import-Teacher $teacherFile -Classes 7, 8).Classes | Should -Be 7, 8
    }

    It 'refuses to train a student on data of other classes, naming both lists, in <Command>' -ForEach @(
        @{ Command = 'Invoke-RefilledStage1'; Call = { param($s) $s | Invoke-RefilledStage1 -Teacher $teacher -Data $digits01 @fast -ErrorAction Stop } }
        @{ Command = 'Invoke-RefilledStage2'; Call = { param($s) $s | Invoke-RefilledStage2 -Teacher $teacher -Data $digits01 @fast -ErrorAction Stop } }
        @{ Command = 'Invoke-RefilledBaseline'; Call = { param($s) $s | Invoke-RefilledBaseline Scratch -Data $digits01 @fast -ErrorAction Stop } }
    ) {
        $student = New-Student smallcnn-16 -Dataset $digits23
        $err = { & $Call $student } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.ClassMismatch,*'
        $err.Exception.Message | Should -Match '2,3'
        $err.Exception.Message | Should -Match '0,1'
        $err.TargetObject | Should -Be 0, 1
        $student.History | Should -BeNullOrEmpty
    }

    It 'still lets a teacher of other classes guide the student (cross-task)' {
        $student = New-Student smallcnn-16 -Dataset $digits23 | Invoke-RefilledStage1 -Teacher $teacher -Data $digits23 @fast
        $student.History.Count | Should -Be 1
    }

    It 'refuses a data set of other classes for the same student in an experiment file, with the same error id' {
        $file = Join-Path $root 'mismatch.yaml'
        $student = New-Student smallcnn-16 -Dataset $digits23
        $studentFile = Join-Path $root 'student23.refilled'
        $student | Export-RefilledModel $studentFile -Force
        @"
name: mismatch
data: { name: mnist, path: '$mnist', classes: [0, 1] }
student: { file: '$studentFile' }
stages:
  baseline: { method: scratch, epochs: 1, batch: 12 }
"@ | Set-Content $file
        $err = { Invoke-RefilledExperiment $file -OutputPath (Join-Path $root 'runs') -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.ClassMismatch,*'
    }

    It 'refuses to measure a student on data of classes it does not have' {
        $student = New-Student smallcnn-16 -Dataset $digits23
        $err = { $student | Measure-Student -Data (Get-RefilledDataset Mnist -Path $mnist -Split Test -Classes 0, 1) -ErrorAction Stop } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.ClassMismatch,*'
        { $student | Measure-Student -Data (Get-RefilledDataset Mnist -Path $mnist -Split Test) -ErrorAction Stop } |
            Should -Throw -ErrorId 'Refilled.ClassCountMismatch,*'
        ($student | Measure-Student -Data $test23).Accuracy | Should -Not -BeNullOrEmpty
    }

    It 'measures a teacher on other classes by NCM only, and says so' {
        $m = $teacher | Measure-Student -Data $test23 -Reference $digits23 -WarningVariable warned -WarningAction SilentlyContinue
        $m.Accuracy | Should -BeNullOrEmpty
        $m.NcmAccuracy | Should -Not -BeNullOrEmpty
        "$warned" | Should -Match 'only the NCM accuracy'
    }
}

Describe 'A training seed is the run''s, never the model''s' {
    It 'keeps each student''s own seed through training, so files named by seed do not overwrite each other' {
        $students = 0..2 | ForEach-Object { New-Student smallcnn-16 -Dataset $digits23 -Seed $_ } |
            Invoke-RefilledBaseline Scratch -Data $digits23 @fast
        $students.Seed | Should -Be 0, 1, 2
        $students.TrainingSeed | Should -Be 0, 0, 0
        $students | ForEach-Object { $_ | Export-RefilledModel (Join-Path $root "seed$($_.Seed).refilled") -Force }
        (Get-ChildItem $root -Filter 'seed*.refilled').Name | Sort-Object | Should -Be 'seed0.refilled', 'seed1.refilled', 'seed2.refilled'
        $back = Import-Student (Join-Path $root 'seed2.refilled')
        $back.Seed | Should -Be 2
        $back.TrainingSeed | Should -Be 0
    }

    It 'records the run''s -Seed as TrainingSeed' {
        $s = New-Student smallcnn-16 -Dataset $digits23 -Seed 4 | Invoke-RefilledBaseline Scratch -Data $digits23 @fast -Seed 9
        $s.Seed | Should -Be 4
        $s.TrainingSeed | Should -Be 9
        ($s | Measure-Student -Data $test23).TrainingSeed | Should -Be 9
    }
}

Describe 'Ctrl+C keeps what was trained' {
    It 'records the stage and the epochs trained before the pipeline was stopped, and saves them as its Epochs' {
        $student = New-Student smallcnn-16 -Dataset $digits23
        $checkpoint = Join-Path $root 'stopped.refilled'
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
                param($Module, $Student, $Data, $Checkpoint)
                Import-Module $Module
                $Student | Invoke-RefilledBaseline Scratch -Data $Data -Epochs 100000 -BatchSize 12 -Threads 1 -CheckpointPath $Checkpoint
            }).AddArgument($env:REFILLED_MODULE_PATH).AddArgument($student).AddArgument($digits23).AddArgument($checkpoint)
        $running = $ps.BeginInvoke()
        # The checkpoint is written after each epoch (no validation): once it exists, an epoch is done.
        $deadline = [DateTime]::UtcNow.AddMinutes(2)
        while (-not (Test-Path $checkpoint) -and [DateTime]::UtcNow -lt $deadline -and -not $running.IsCompleted) { Start-Sleep -Milliseconds 100 }
        Test-Path $checkpoint | Should -BeTrue
        $ps.Stop()
        $ps.Dispose()

        $student.History.Count | Should -BeGreaterThan 0
        $student.Stage | Should -Be 'Scratch'
        $student.TrainingSeed | Should -Be 0
        $file = Join-Path $root 'after-stop.refilled'
        $student | Export-RefilledModel $file
        $saved = [Refilled.Engine.Checkpoints.ModelCheckpoint]::Load($file, $null)
        $saved.Item2.Epochs | Should -Be $student.History.Count
        $saved.Item1.Dispose()
    }
}
