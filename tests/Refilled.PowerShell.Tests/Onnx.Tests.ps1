BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:root = Join-Path ([IO.Path]::GetTempPath()) "refilled-pester-onnx-$([guid]::NewGuid().ToString('N'))"
    $script:mnist = New-TinyMnist (Join-Path $root 'tiny-mnist') -Classes 4
    $common = @{ Path = $mnist; Seed = 3 }
    $script:teacherData = Get-RefilledDataset Mnist @common -Split Train -Classes 0, 1
    $script:train = Get-RefilledDataset Mnist @common -Split Train -Classes 2, 3
    $script:test = Get-RefilledDataset Mnist @common -Split Test -Classes 2, 3
    $fast = @{ Epochs = 2; BatchSize = 16; LearningRate = 0.05; Threads = 2 }
    $script:teacher = Invoke-RefilledPretraining smallcnn -Data $teacherData @fast
    $script:student = New-Student smallcnn-16 -Dataset $train -Seed 2 | Invoke-RefilledStage1 -Teacher $teacher -Data $train @fast -Seed 2
}

AfterAll {
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Export-RefilledModel -Format Onnx and Measure-Student -OnnxPath' {
    It 'measures the exported student through ONNX Runtime with the student''s own numbers' {
        $file = Join-Path $root 'student.onnx'
        $student | Export-RefilledModel $file -Format Onnx -Data $train
        $expected = $student | Measure-Student -Data $test -Reference $train
        $measured = Measure-Student -OnnxPath $file -Data $test -Reference $train
        $measured.Model | Should -Be 'Onnx'
        $measured.Path | Should -Be $file
        $measured.Architecture | Should -Be 'smallcnn-16'
        $measured.Samples | Should -Be $test.Count
        $measured.Accuracy | Should -Be $expected.Accuracy
        $measured.PerClassAccuracy | Should -Be $expected.PerClassAccuracy
        $measured.NcmAccuracy | Should -Be $expected.NcmAccuracy
        $measured.NcmTransductive | Should -Be $expected.NcmTransductive
        # Files from Get-ChildItem bind by FullName.
        $piped = @(Get-Item $file | Measure-Student -Data $test)
        $piped.Count | Should -Be 1
        $piped[0].Path | Should -Be $file
        $piped[0].Accuracy | Should -Be $expected.Accuracy
    }

    It 'runs ONNX Runtime from the native library next to the module''s assemblies' {
        $file = Join-Path $root 'loaded.onnx'
        $student | Export-RefilledModel $file -Format Onnx -Data $train
        Measure-Student -OnnxPath $file -Data $test | Out-Null
        $loaded = [Diagnostics.Process]::GetCurrentProcess().Modules | Where-Object ModuleName -EQ 'libonnxruntime.so'
        @($loaded).Count | Should -Be 1
        $loaded.FileName | Should -Be (Join-Path (Split-Path $env:REFILLED_MODULE_PATH) 'libonnxruntime.so')
    }

    It 'measures a teacher of other classes by NCM only, its classes read from the file' {
        $file = Join-Path $root 'teacher.onnx'
        $teacher | Export-RefilledModel $file -Format Onnx -Data $teacherData
        $expected = $teacher | Measure-Student -Data $test -Reference $train
        $measured = Measure-Student -OnnxPath $file -Data $test -Reference $train
        $measured.Accuracy | Should -BeNullOrEmpty
        $measured.NcmAccuracy | Should -Be $expected.NcmAccuracy
        (Measure-Student -OnnxPath $file -Data (Get-RefilledDataset Mnist -Path $mnist -Seed 3 -Split Test -Classes 0, 1)).Accuracy |
            Should -Not -BeNullOrEmpty
    }

    It 'needs -Data for 28x28 images, which MNIST and Fashion-MNIST normalise differently' {
        $err = { $student | Export-RefilledModel (Join-Path $root 'which.onnx') -Format Onnx -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.NormalisationUnknown,*'
        $err.Exception.Message | Should -BeLike '*-Data*'
        Test-Path (Join-Path $root 'which.onnx') | Should -BeFalse
    }

    It 'exports a wide ResNet at CIFAR size with the CIFAR normalisation, and refuses -Data of another image shape' {
        $file = Join-Path $root 'wrn.onnx'
        New-Student wrn-16-1 -ClassCount 10 | Export-RefilledModel $file -Format Onnx
        $onnx = [Refilled.Engine.Checkpoints.Onnx.OnnxClassifier]::Load($file, 1)
        try {
            $onnx.Metadata.Architecture | Should -Be 'wrn-16-1'
            $onnx.Metadata.Normalisation.Mean | Should -Be ([Refilled.Engine.Data.ChannelNormalisation]::Cifar.Mean)
            $onnx.InputShape | Should -Be @(3, 32, 32)
            $onnx.EmbeddingSize | Should -Be 64
        }
        finally {
            $onnx.Dispose()
        }
        $err = { New-Student mobilenet-0.25 -ClassCount 10 | Export-RefilledModel (Join-Path $root 'photo.onnx') -Format Onnx -Data $train } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.InputShapeMismatch,*'
    }

    It 'does not replace a file without -Force and writes nothing with -WhatIf' {
        $file = Join-Path $root 'twice.onnx'
        $student | Export-RefilledModel $file -Format Onnx -Data $train
        $err = { $student | Export-RefilledModel $file -Format Onnx -Data $train } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.FileExists,*'
        $student | Export-RefilledModel $file -Format Onnx -Data $train -Force
        $whatIf = Join-Path $root 'whatif.onnx'
        $student | Export-RefilledModel $whatIf -Format Onnx -Data $train -WhatIf
        Test-Path $whatIf | Should -BeFalse
        @(Get-ChildItem $root -Filter '*.tmp' -Force).Count | Should -Be 0
    }

    It 'refuses to measure a file that normalises its input for other data' {
        $file = Join-Path $root 'other-normalisation.onnx'
        $other = [Refilled.Engine.Data.ChannelNormalisation]::new([float[]]@(0.5), [float[]]@(0.5))
        $metadata = [Refilled.Engine.Checkpoints.Onnx.OnnxModelMetadata]::new($student.Architecture, $student.Classes, $null, $other)
        [Refilled.Engine.Checkpoints.Onnx.OnnxExporter]::Export($student.Network, $metadata, $file)
        $err = { Measure-Student -OnnxPath $file -Data $test } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.NormalisationMismatch,*'
        $err.TargetObject | Should -Be $file
    }

    It 'refuses -Data with the Refilled format' {
        $err = { $student | Export-RefilledModel (Join-Path $root 'x.refilled') -Data $train } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.InvalidArgument,*'
    }

    It 'names a file ONNX Runtime cannot read, and one that is not there' {
        $bad = Join-Path $root 'bad.onnx'
        [IO.File]::WriteAllBytes($bad, [byte[]](1, 2, 3, 4, 5))
        $err = { Measure-Student -OnnxPath $bad -Data $test } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.CorruptCheckpoint,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.TargetObject | Should -Be $bad
        $err.Exception.Message | Should -Not -Match '\(Parameter'
        $missing = Join-Path $root 'missing.onnx'
        $err = { Measure-Student -OnnxPath $missing -Data $test } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.FileNotFound,*'
    }
}
