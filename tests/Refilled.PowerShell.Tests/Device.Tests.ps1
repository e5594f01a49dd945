BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:root = Join-Path ([IO.Path]::GetTempPath()) "refilled-device-$([guid]::NewGuid().ToString('N'))"
    $mnist = New-TinyMnist (Join-Path $root 'tiny-mnist') -Classes 4
    $common = @{ Path = $mnist; Seed = 3 }
    $teacherData = Get-RefilledDataset Mnist @common -Split Train -Classes 0, 1
    $script:train = Get-RefilledDataset Mnist @common -Split Train -Classes 2, 3
    $script:test = Get-RefilledDataset Mnist @common -Split Test -Classes 2, 3
    $script:fast = @{ Epochs = 1; BatchSize = 16; LearningRate = 0.05; Threads = 2 }
    $script:teacherFile = Join-Path $root 'teacher.refilled'
    Invoke-RefilledPretraining smallcnn -Data $teacherData @fast | Export-RefilledModel $teacherFile
}

AfterAll {
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe '-Device cpu' {
    It 'runs import, stage 1, stage 2, export, import and Measure-Student with every model on the CPU' {
        $teacher = Import-Teacher $teacherFile -Device cpu
        $teacher.Device | Should -Be 'cpu'
        $student = New-Student smallcnn -Dataset $train -Seed 2 -Device cpu
        $student.Device | Should -Be 'cpu'
        $trained = $student | Invoke-RefilledStage1 -Teacher $teacher -Data $train @fast |
            Invoke-RefilledStage2 -Teacher $teacher -Data $train -Lambda 1 @fast
        $trained.Device | Should -Be 'cpu'
        $teacher.Device | Should -Be 'cpu'
        $file = Join-Path $root 'student-cpu.refilled'
        $trained | Export-RefilledModel $file
        $back = Import-Student $file -Device cpu
        $back.Device | Should -Be 'cpu'
        $before = $trained | Measure-Student -Data $test
        $after = $back | Measure-Student -Data $test
        $after.Accuracy | Should -Be $before.Accuracy
        $after.NcmAccuracy | Should -Be $before.NcmAccuracy
    }

    It 'trains the same weights as no -Device at all' {
        $runs = foreach ($device in @($null, 'cpu')) {
            $extra = if ($device) { @{ Device = $device } } else { @{} }
            New-Student smallcnn -Dataset $train -Seed 4 @extra |
                Invoke-RefilledStage2 -Teacher (Import-Teacher $teacherFile @extra) -Data $train -Lambda 1 @fast -Seed 4 |
                Measure-Student -Data $test
        }
        $runs[0].Accuracy | Should -Be $runs[1].Accuracy
        $runs[0].NcmAccuracy | Should -Be $runs[1].NcmAccuracy
    }

    It 'pretrains a teacher on the CPU given explicitly, with the weights of no -Device at all' {
        $explicit = Invoke-RefilledPretraining smallcnn -Data $train @fast -Seed 5 -Device cpu
        $explicit.Device | Should -Be 'cpu'
        $implicit = Invoke-RefilledPretraining smallcnn -Data $train @fast -Seed 5
        [Refilled.Engine.Experiments.ExperimentRunner]::WeightsSha256($explicit.Network) |
            Should -Be ([Refilled.Engine.Experiments.ExperimentRunner]::WeightsSha256($implicit.Network))
    }

    It 'shows the device in the model table views' {
        (New-Student smallcnn -ClassCount 3 | Format-Table | Out-String) | Should -Match 'Device[\s\S]*cpu'
        (Import-Teacher $teacherFile | Format-Table | Out-String) | Should -Match 'Device[\s\S]*cpu'
    }
}

Describe '-Device cuda on this CPU build' {
    It '<Command> gets a ResourceUnavailable error that names the build command and the device' -TestCases @(
        @{ Command = 'New-Student'; Call = { New-Student smallcnn -ClassCount 3 -Device cuda } }
        @{ Command = 'Import-Teacher'; Call = { Import-Teacher $teacherFile -Device cuda } }
        @{ Command = 'Import-Student'; Call = { Import-Student $teacherFile -Device cuda } }
        @{ Command = 'Invoke-RefilledPretraining'; Call = { Invoke-RefilledPretraining smallcnn -Data $train @fast -Device cuda } }
    ) {
        $failure = { & $Call } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike "Refilled.DeviceUnavailable,*$($Command -replace '-')*"
        $failure.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $failure.TargetObject | Should -Be 'cuda'
        $failure.Exception.Message | Should -Match 'build\.ps1 -TorchBackend cuda'
    }

    It 'refuses a misspelt device and meta as InvalidArgument naming the value' -TestCases @(
        @{ Device = 'gpu' }
        @{ Device = 'cuda:x' }
        @{ Device = 'meta' }
    ) {
        $failure = { New-Student smallcnn -ClassCount 3 -Device $Device } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'Refilled.InvalidDevice,*'
        $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $failure.TargetObject | Should -Be $Device
    }
}

Describe 'Devices in the environment' {
    It 'lists the CPU alone here, and shows it in the table view' {
        $environment = Get-RefilledEnvironment
        $environment.Devices | Should -Be @('cpu')
        $environment.DeviceCount | Should -Be 0
        ($environment | Format-Table | Out-String) | Should -Match 'Devices[\s\S]*cpu'
    }

    It 'completes -Device with the usable devices and cuda' {
        $line = 'New-Student smallcnn -ClassCount 3 -Device '
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Be @('cpu', 'cuda')
    }
}
