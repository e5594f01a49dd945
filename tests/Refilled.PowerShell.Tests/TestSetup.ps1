# Dot-sourced by every test file: imports the freshly built module (build.ps1 sets REFILLED_MODULE_PATH)
# and provides small generated datasets, so the suite needs no download and stays fast.
if (-not $env:REFILLED_MODULE_PATH) {
    $env:REFILLED_MODULE_PATH = Join-Path $PSScriptRoot '../../out/Refilled/Refilled.psd1'
}
Import-Module $env:REFILLED_MODULE_PATH -Force

function Write-IdxFile([string] $Path, [int[]] $Dimensions, [byte[]] $Data) {
    $header = [Collections.Generic.List[byte]]::new()
    $header.AddRange([byte[]](0, 0, 8, $Dimensions.Count))
    foreach ($d in $Dimensions) {
        $bytes = [BitConverter]::GetBytes([int]$d); [Array]::Reverse($bytes); $header.AddRange($bytes)
    }
    [IO.File]::WriteAllBytes($Path, [byte[]]($header.ToArray() + $Data))
}

<#
Writes MNIST-format IDX files for a tiny, learnable digit set: class c is a bright 8x8 square in quadrant c mod 4
(jittered by a pixel), plus seeded noise. Returns the folder.
#>
function New-TinyMnist([string] $Path, [int] $Classes = 4, [int] $TrainPerClass = 24, [int] $TestPerClass = 8, [int] $Seed = 1) {
    New-Item -ItemType Directory -Force $Path | Out-Null
    $random = [Random]::new($Seed)
    foreach ($split in @(@{ Prefix = 'train'; PerClass = $TrainPerClass }, @{ Prefix = 't10k'; PerClass = $TestPerClass })) {
        $count = $Classes * $split.PerClass
        $pixels = [byte[]]::new($count * 784)
        $labels = [byte[]]::new($count)
        for ($i = 0; $i -lt $count; $i++) {
            $c = $i % $Classes
            $labels[$i] = $c
            $top = 3 + 12 * ($c % 2) + $random.Next(-1, 2)
            $left = 3 + 12 * ([Math]::Floor($c / 2) % 2) + $random.Next(-1, 2)
            for ($p = 0; $p -lt 784; $p++) { $pixels[$i * 784 + $p] = [byte]$random.Next(0, 40) }
            for ($y = $top; $y -lt $top + 8; $y++) {
                for ($x = $left; $x -lt $left + 8; $x++) { $pixels[$i * 784 + $y * 28 + $x] = [byte]$random.Next(200, 256) }
            }
        }
        Write-IdxFile (Join-Path $Path "$($split.Prefix)-images-idx3-ubyte") @($count, 28, 28) $pixels
        Write-IdxFile (Join-Path $Path "$($split.Prefix)-labels-idx1-ubyte") @($count) $labels
    }
    $Path
}

<#
Writes <Folder>/<Name>.yaml, a tiny experiment on the New-TinyMnist digits in <Folder>/tiny-mnist: a smallcnn teacher
pretrained for one epoch on digits 0-1, smallcnn-16 students on digits 2-3 (stage 1: 2 epochs). -Test also measures
the test digits, -Baseline adds a stages.baseline section (its inline map), -Rest follows 'threads: 2' (e.g. the sweep).
Returns the file's path.
#>
function New-TinyExperimentFile([string] $Folder, [string] $Name, [int] $Stage2Epochs = 2, [string] $Seeds = 'seed: 3',
    [string] $Rest = '', [string] $Baseline = '', [switch] $Test) {
    $file = Join-Path $Folder "$Name.yaml"
    $lines = @(
        "name: $Name", 'data:', '  path: ./tiny-mnist', '  classes: [2, 3]', '  validation_fraction: 0.25'
        if ($Test) { '  test: true' }
        'teacher:', '  pretrain: { architecture: smallcnn, classes: [0, 1], epochs: 1, lr: 0.05, batch: 16, validation_fraction: 0 }'
        'student:', '  architecture: smallcnn-16'
        'stages:', '  stage1: { epochs: 2, lr: 0.05, batch: 16 }', "  stage2: { epochs: $Stage2Epochs, lr: 0.05, batch: 16, lambda: 1 }"
        if ($Baseline) { "  baseline: $Baseline" }
        $Seeds, 'threads: 2', $Rest
    )
    $lines -join "`n" | Set-Content $file
    $file
}
