BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')

    # Rows as Import-Csv gives them: every value a string.
    $script:rows = foreach ($k in 100, 20) {
        foreach ($seed in 0..2) {
            foreach ($method in 'Scratch', 'Refilled') {
                $accuracy = 0.3 + $k / 400 + [int]($method -eq 'Refilled') * 0.1 + $seed * 0.02
                [pscustomobject]@{ Method = $method; K = "$k"; Seed = "$seed"; Lambda = '1'; Accuracy = $accuracy.ToString([cultureinfo]::InvariantCulture) }
            }
        }
    }

    # Width and height from the IHDR chunk, after checking the signature; the PNG must also decode.
    function Read-PngSize([string] $Path) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        $bytes[0..7] | Should -Be @(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)
        [Text.Encoding]::ASCII.GetString($bytes, 12, 4) | Should -Be 'IHDR'
        $bitmap = [SkiaSharp.SKBitmap]::Decode($bytes)
        $bitmap | Should -Not -BeNullOrEmpty
        $bitmap.Dispose()
        $bigEndian = { param($at) ([int]$bytes[$at] -shl 24) -bor ([int]$bytes[$at + 1] -shl 16) -bor ([int]$bytes[$at + 2] -shl 8) -bor $bytes[$at + 3] }
        [pscustomobject]@{ Width = & $bigEndian 16; Height = & $bigEndian 20 }
    }
}

Describe 'Export-RefilledChart' {
    It 'writes a PNG of the requested size from piped rows and returns the file' {
        $file = Join-Path $TestDrive 'bars.png'
        $out = $rows | Export-RefilledChart $file -Width 900 -Height 500
        $out | Should -BeOfType ([IO.FileInfo])
        $out.FullName | Should -Be $file
        $size = Read-PngSize $file
        $size.Width | Should -Be 900
        $size.Height | Should -Be 500
    }

    It 'uses the named properties for category, group and value' {
        $file = Join-Path $TestDrive 'lambda.png'
        $rows | Export-RefilledChart $file -Category Lambda -Group K -Value Accuracy -Title 'By lambda' | Should -Not -BeNullOrEmpty
        (Read-PngSize $file).Width | Should -Be 1400
    }

    It 'adds the validation curves of trained students' {
        $mnist = New-TinyMnist (Join-Path $TestDrive 'tiny-mnist') -Classes 2 -TrainPerClass 16 -TestPerClass 4
        $train = Get-RefilledDataset Mnist -Path $mnist -Split Train -ValidationFraction 0.25 -Seed 1
        $val = Get-RefilledDataset Mnist -Path $mnist -Split Validation -ValidationFraction 0.25 -Seed 1
        $students = foreach ($seed in 0, 1) {
            New-Student smallcnn -Dataset $train -Seed $seed |
                Invoke-RefilledBaseline Scratch -Data $train -ValidationData $val -Epochs 2 -BatchSize 8 -Threads 2
        }
        $file = Join-Path $TestDrive 'curves.png'
        $rows | Export-RefilledChart $file -Student $students -CurveLabel 'a', 'b' | Should -Not -BeNullOrEmpty
        (Read-PngSize $file).Height | Should -Be 600

        $err = { $rows | Export-RefilledChart (Join-Path $TestDrive 'labels.png') -Student $students -CurveLabel 'a' -ErrorAction Stop } |
            Should -Throw -ErrorId 'Refilled.InvalidArgument,*' -PassThru
        $err.Exception.Message | Should -Match 'CurveLabel'
    }

    It 'writes nothing with -WhatIf' {
        $file = Join-Path $TestDrive 'whatif.png'
        $rows | Export-RefilledChart $file -WhatIf | Should -BeNullOrEmpty
        Test-Path $file | Should -BeFalse
    }

    It 'refuses to overwrite without -Force and replaces with it' {
        $file = Join-Path $TestDrive 'twice.png'
        Set-Content $file 'not a png'
        { $rows | Export-RefilledChart $file -WhatIf -ErrorAction Stop } | Should -Not -Throw
        Get-Content $file | Should -Be 'not a png'
        { $rows | Export-RefilledChart $file -ErrorAction Stop } | Should -Throw -ErrorId 'Refilled.FileExists,*'
        (Get-Content $file -Raw).Trim() | Should -Be 'not a png'
        $rows | Export-RefilledChart $file -Force -Width 600 -Height 400 | Out-Null
        (Read-PngSize $file).Width | Should -Be 600
    }

    It 'names a missing property in an InvalidArgument error' {
        $err = { $rows | Export-RefilledChart (Join-Path $TestDrive 'missing.png') -Value Top1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'Refilled.InvalidArgument,*' -PassThru
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match "'Top1'"
    }

    It 'rejects a value that is not a number' {
        $bad = [pscustomobject]@{ Method = 'Scratch'; K = '20'; Accuracy = 'high' }
        $err = { $bad | Export-RefilledChart (Join-Path $TestDrive 'nan.png') -ErrorAction Stop } |
            Should -Throw -ErrorId 'Refilled.InvalidArgument,*' -PassThru
        $err.Exception.Message | Should -Match "'high' for 'Accuracy'"
    }

    It 'fails with InvalidArgument when there is nothing to chart' {
        { @() | Export-RefilledChart (Join-Path $TestDrive 'empty.png') -ErrorAction Stop } |
            Should -Throw -ErrorId 'Refilled.InvalidArgument,*'
        Test-Path (Join-Path $TestDrive 'empty.png') | Should -BeFalse
    }
}
