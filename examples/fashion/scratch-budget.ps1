<#
.SYNOPSIS
    Chooses the SGD budget of cross-task-k<K>.yaml on VALIDATION only: Scratch alone (the files' student, batch and
    learning rate) with K training images per class at a few budgets, scored by its best epoch on the few-shot
    validation set (K/2 per class, disjoint from the K training images). No test image is loaded. Steps double while
    doubling gains more than one validation image in 100 (mean of the seeds); where it stops is the file's budget.
.EXAMPLE
    ./examples/fashion/scratch-budget.ps1 -K 20 -Epochs 10, 20, 40 -Seed 0, 1
.EXAMPLE
    ./examples/fashion/scratch-budget.ps1 -K 100 -Epochs 5, 10, 20, 40 -Seed 0, 1
#>
param(
    [int] $K = 20,
    [int[]] $Epochs = @(10, 20, 40),
    [int[]] $Seed = @(0, 1)
)
Import-Module (Join-Path $PSScriptRoot '../../out/Refilled/Refilled.psd1')
foreach ($e in $Epochs) {
    foreach ($s in $Seed) {
        $draw = @{ Classes = 5..9; SamplesPerClass = $K; ValidationSamplesPerClass = $K / 2; Seed = $s }
        $train = Get-RefilledDataset FashionMnist -Split Train @draw
        $val = Get-RefilledDataset FashionMnist -Split Validation @draw
        $student = New-Student smallcnn-16 -Dataset $train -Seed $s |
            Invoke-RefilledBaseline -Method Scratch -Data $train -ValidationData $val -Epochs $e -BatchSize 16 -LearningRate 0.05 -Threads 2 -Seed $s
        [pscustomobject]@{ Epochs = $e; Steps = $e * [Math]::Ceiling($train.Count / 16); Seed = $s; Validation = $student.ValidationMetric }
    }
}
