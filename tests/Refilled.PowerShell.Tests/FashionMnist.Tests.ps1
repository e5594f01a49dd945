# Fashion-MNIST from the real official files, as Debian's dataset-fashion-mnist package installs them (recompressed).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:debian = '/usr/share/datasets/fashion-mnist'
    & bash (Join-Path $PSScriptRoot '../setup/fashion-mnist.sh')
    if ($LASTEXITCODE -ne 0) { throw "tests/setup/fashion-mnist.sh could not provide $debian." }
    $script:root = Join-Path ([IO.Path]::GetTempPath()) "refilled-fashion-$([guid]::NewGuid().ToString('N'))"
}

AfterAll {
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'FashionMnist' {
    It 'is copied from the official files after verifying their content, and reads as 60,000 + 10,000 named images' {
        $folder = Save-RefilledDataset FashionMnist -Path (Join-Path $root 'data') -SourcePath $debian
        $folder.FullName | Should -Be (Join-Path $root 'data/fashion-mnist')
        $env:REFILLED_DATA = Join-Path $root 'data'
        try {
            $train = Get-RefilledDataset FashionMnist
            $test = Get-RefilledDataset FashionMnist -Split Test -Classes 5..9
        }
        finally { Remove-Item Env:REFILLED_DATA }
        $train.Count | Should -Be 60000
        $train.Dataset.LabelCounts | Should -Be (@(6000) * 10)
        $train.Dataset.ClassNames | Should -Be @('T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot')
        $train.ImageShape | Should -Be @(1, 28, 28)
        $test.Count | Should -Be 5000
        $test.Dataset.ClassNames | Should -Be @('Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot')
    }

    It 'refuses a copy whose content differs from the official file, naming it' {
        $tampered = New-Item -ItemType Directory -Force (Join-Path $root 'tampered')
        Copy-Item (Join-Path $debian '*.gz') $tampered
        $labels = Join-Path $tampered 't10k-labels-idx1-ubyte.gz'
        $input = [IO.Compression.GZipStream]::new([IO.File]::OpenRead($labels), [IO.Compression.CompressionMode]::Decompress)
        $content = [IO.MemoryStream]::new(); $input.CopyTo($content); $input.Dispose()
        $bytes = $content.ToArray(); $bytes[100] = ($bytes[100] + 1) % 10
        $output = [IO.Compression.GZipStream]::new([IO.File]::Create($labels), [IO.Compression.CompressionLevel]::Optimal)
        $output.Write($bytes, 0, $bytes.Length); $output.Dispose()

        $target = Join-Path $root 'refused'
        $err = { Save-RefilledDataset FashionMnist -Path $target -SourcePath $tampered -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.ChecksumMismatch,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.TargetObject | Should -Be $labels
        $err.Exception.Message | Should -BeLike '*expected 0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34*'
        Test-Path (Join-Path $target 'fashion-mnist') | Should -BeFalse
    }
}
