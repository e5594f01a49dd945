BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:root = Join-Path ([IO.Path]::GetTempPath()) "refilled-select-$([guid]::NewGuid().ToString('N'))"
    $mnist = New-TinyMnist (Join-Path $root 'tiny-mnist') -Classes 4
    $split = @{ Path = $mnist; Classes = 2, 3; ValidationFraction = 0.25; Seed = 3 }
    $script:train = Get-RefilledDataset Mnist -Split Train @split
    $val = Get-RefilledDataset Mnist -Split Validation @split
    $teacher = Invoke-RefilledPretraining smallcnn -Data (Get-RefilledDataset Mnist -Path $mnist -Split Train -Classes 0, 1 -Seed 3) -Epochs 1 -BatchSize 16 -Threads 2
    $run = @{ Teacher = $teacher; Data = $train; ValidationData = $val; Epochs = 2; BatchSize = 16; Threads = 2; Seed = 0 }
    $stage1 = New-Student smallcnn-16 -Dataset $train -Seed 0 | Invoke-RefilledStage1 @run
    $script:candidates = foreach ($l in 10, 0.1, 1) { $stage1 | Copy-RefilledModel | Invoke-RefilledStage2 @run -Lambda $l }
}

AfterAll {
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Select-RefilledStudent' {
    It 'records each stage-2 student''s lambda and validation cross-entropy' {
        $candidates.Lambda | Should -Be @(10, 0.1, 1)
        $candidates | ForEach-Object { $_.ValidationCrossEntropy | Should -BeGreaterThan 0 }
    }

    It 'picks the best by accuracy, then cross-entropy, then the smaller lambda, whatever the order' {
        $expected = $candidates | Sort-Object @{ e = 'ValidationMetric'; Descending = $true }, ValidationCrossEntropy, Lambda | Select-Object -First 1
        ($candidates | Select-RefilledStudent).Lambda | Should -Be $expected.Lambda
        ($candidates[2], $candidates[1], $candidates[0] | Select-RefilledStudent).Lambda | Should -Be $expected.Lambda
    }

    It 'refuses a student that was never validated' {
        $e = { New-Student smallcnn-16 -Dataset $train | Select-RefilledStudent } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'Refilled.NotValidated*'
        $e.TargetObject.GetType().Name | Should -Be 'Student'
    }
}
