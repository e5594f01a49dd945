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

BeforeDiscovery {
    $script:methods = 'Scratch', 'KnowledgeDistillation', 'FineTune', 'TeacherNcm', 'FitNet', 'AttentionTransfer', 'Rkd', 'Crd', 'FitNetTwoStage'
}

Describe 'Every method saves the epochs it trained' {
    BeforeAll {
        $script:sameTask = Invoke-RefilledPretraining smallcnn -Data $digits23 @fast
    }

    It 'covers every baseline method' {
        [Enum]::GetNames([Refilled.Engine.Training.BaselineMethod]) | Should -Be $methods
    } -TestCases @{ Methods = $methods }

    It 'saves Epochs = <Expected> for a student of <Method>' -ForEach @(
        foreach ($method in $methods) { @{ Method = $method; Expected = if ($method -eq 'TeacherNcm') { 0 } else { 2 } } }
    ) {
        $guide = if ($Method -eq 'KnowledgeDistillation') { $sameTask } else { $teacher }
        $student = New-Student smallcnn -Dataset $digits23 | Invoke-RefilledBaseline $Method -Teacher $guide -Data $digits23 @fast -Epochs 2
        $file = Join-Path $root "$Method.refilled"
        $student | Export-RefilledModel $file -Force
        $saved = [Refilled.Engine.Checkpoints.ModelCheckpoint]::Load($file, $null)
        $saved.Item1.Dispose()
        $saved.Item2.Stage | Should -Be $Method
        $saved.Item2.Epochs | Should -Be $Expected
        (Import-Student $file).Stage | Should -Be $Method
    }

    It 'saves Epochs = 2 after <Name>' -ForEach @(
        @{ Name = 'stage 1'; Call = { New-Student smallcnn -Dataset $digits23 | Invoke-RefilledStage1 -Teacher $teacher -Data $digits23 @fast -Epochs 2 } }
        @{ Name = 'stage 2'; Call = { New-Student smallcnn -Dataset $digits23 | Invoke-RefilledStage2 -Teacher $teacher -Data $digits23 @fast -Epochs 2 } }
        @{ Name = 'pretraining'; Call = { Invoke-RefilledPretraining smallcnn -Data $digits01 @fast -Epochs 2 } }
    ) {
        $file = Join-Path $root 'stage.refilled'
        & $Call | Export-RefilledModel $file -Force
        $saved = [Refilled.Engine.Checkpoints.ModelCheckpoint]::Load($file, $null)
        $saved.Item1.Dispose()
        $saved.Item2.Epochs | Should -Be 2
    }
}

Describe 'Errors name what is wrong' {
    It 'does not fail Export-RefilledModel -WhatIf on an existing file, and writes nothing' {
        $before = (Get-Item $teacherFile).LastWriteTimeUtc
        { $teacher | Export-RefilledModel $teacherFile -WhatIf -ErrorAction Stop } | Should -Not -Throw
        (Get-Item $teacherFile).LastWriteTimeUtc | Should -Be $before
        { $teacher | Export-RefilledModel $teacherFile -ErrorAction Stop } | Should -Throw -ErrorId 'Refilled.FileExists,*'
    }

    It 'reports <Mistake> with id <Id>, the value as target and no .NET parameter text' -ForEach @(
        @{ Mistake = 'a device name that is not one'; Id = 'InvalidDevice'; Target = 'gpu'; Call = { New-Student smallcnn -Dataset $digits23 -Device gpu } }
        @{ Mistake = 'class ids the dataset does not have'; Id = 'ClassOutOfRange'; Target = @(10, 11, 12); Call = { Get-RefilledDataset Mnist -Path $mnist -Classes 5..12 } }
        @{ Mistake = 'a class listed twice'; Id = 'DuplicateClass'; Target = @(1, 1); Call = { Get-RefilledDataset Mnist -Path $mnist -Classes 1, 1 } }
        @{ Mistake = 'a K larger than a class holds'; Id = 'SamplesPerClassTooLarge'; Target = 500; Call = { Get-RefilledDataset Mnist -Path $mnist -Classes 0, 1 -SamplesPerClass 500 } }
    ) {
        $err = { & $Call } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike "Refilled.$Id,*"
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.TargetObject | Should -Be $Target
        $err.Exception.Message | Should -Not -Match '\(Parameter|Actual value'
    }
}

Describe 'New-Student takes classes as the other cmdlets do' {
    It 'binds a dataset from the pipeline' {
        ($digits23 | New-Student smallcnn-16).Classes | Should -Be 2, 3
    }

    It 'takes -Classes as class ids (5..9) and a count as -ClassCount' {
        (New-Student smallcnn -Classes 5..9).Classes | Should -Be 5, 6, 7, 8, 9
        (New-Student smallcnn -ClassCount 3).Classes | Should -Be 0, 1, 2
    }

    It 'refuses a single class id, which once meant a count, and says to use -ClassCount' {
        $err = { New-Student smallcnn -Classes 5 -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.TooFewClasses,*'
        $err.Exception.Message | Should -Match '-ClassCount 5'
    }
}

Describe '-Path takes wildcards and -LiteralPath takes names as typed' {
    BeforeAll {
        $script:folder = Join-Path $root 'many'
        New-Item -ItemType Directory $folder -Force | Out-Null
        foreach ($name in 'a.refilled', 'b.refilled', 'c[1].refilled') { $teacher | Export-RefilledModel (Join-Path $folder $name) -Force }
    }

    It 'imports every file a wildcard names with <Command>' -ForEach @(@{ Command = 'Import-Student' }, @{ Command = 'Import-Teacher' }) {
        @(& $Command (Join-Path $folder '?.refilled')).Count | Should -Be 2
    }

    It 'imports a name with brackets through -LiteralPath and Get-ChildItem output' {
        (Import-Student -LiteralPath (Join-Path $folder 'c[1].refilled')).Path | Should -BeLike '*c`[1`].refilled'
        @(Get-ChildItem $folder -Filter '*.refilled' | Import-Teacher).Count | Should -Be 3
    }

    It 'writes a checkpoint named with brackets through Export-RefilledModel -LiteralPath' {
        $file = Join-Path $folder 'd[2].refilled'
        $teacher | Export-RefilledModel -LiteralPath $file
        Test-Path -LiteralPath $file | Should -BeTrue
    }

    It 'reports a wildcard that matches nothing as FileNotFound naming the pattern' {
        $pattern = Join-Path $folder 'none*.refilled'
        $err = { Import-Student $pattern -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.FileNotFound,*'
        $err.TargetObject | Should -Be $pattern
    }
}

Describe 'Views that fit' {
    It 'shows the environment as a list by default' {
        $text = Get-RefilledEnvironment | Out-String
        $text | Should -Match '(?m)^LibTorch\s+: 2\.10\.'
        $text | Should -Match '(?m)^NativeLibraryPath\s+: '
    }

    It 'lists a run record''s config, result and history as values, not record text' {
        $file = Join-Path $root 'listed.yaml'
        @"
name: listed
data: { name: mnist, path: '$mnist', classes: [2, 3] }
student: { architecture: smallcnn-16 }
stages:
  baseline: { method: scratch, epochs: 1, batch: 12 }
"@ | Set-Content $file
        $out = Join-Path $root 'listed-runs'
        $null = Invoke-RefilledExperiment $file -OutputPath $out
        $text = Get-RefilledRun $out | Format-List | Out-String
        $text | Should -Match '(?m)^Status\s+: Completed'
        $text | Should -Match '(?m)^Stages\s+: Scratch 1 epochs'
        $text | Should -Not -Match 'RunResult \{|ExperimentConfig \{'
    }
}
