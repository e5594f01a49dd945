<#
.SYNOPSIS
    The quickstart's cross-task run with the teacher's forward in float32 and in bfloat16, side by side.
.DESCRIPTION
    The quickstart's setting (smallcnn teacher on MNIST digits 0-4, smallcnn-16 students on digits 5-9 from K images
    per class, about $Steps SGD steps of batch 64 per stage), trained once per precision from the same seeds, with the
    same lambda: only -Precision differs. Each student is measured on the test digits in float32 and in its own
    precision. Prints a table (mean ± std over the seeds) and writes precision.csv. Not part of the Test task: it takes
    minutes. Needs a CPU with native bfloat16 (Get-RefilledEnvironment shows BFloat16Supported).
.EXAMPLE
    dotnet pwsh ./examples/precision-mnist.ps1 -Seed 0, 1, 2
#>
[CmdletBinding()]
param(
    [int[]] $K = @(20, 100),
    [int[]] $Seed = @(0, 1, 2),
    [double] $Lambda = 1,
    [int] $Steps = 300,
    [int] $TeacherEpochs = 6,
    [string] $OutputPath = (Join-Path $PSScriptRoot '../out/precision'),
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Refilled/Refilled.psd1'),
    [int] $Threads = [Environment]::ProcessorCount
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$clock = [Diagnostics.Stopwatch]::StartNew()
New-Item -ItemType Directory -Force $OutputPath | Out-Null
$dataFolder = Save-RefilledDataset Mnist
$studentClasses = 5..9
$test = Get-RefilledDataset Mnist -Split Test -Classes $studentClasses
$common = @{ BatchSize = 64; LearningRate = 0.05; Threads = $Threads; DropLast = $true }

# The quickstart's cached teacher (digits 0-4), trained here once when the quickstart has not run yet.
$teacherFile = Join-Path $dataFolder.Parent.FullName "quickstart-teacher-smallcnn-0-4-e$TeacherEpochs.refilled"
if (-not (Test-Path $teacherFile)) {
    $teacherTrain = Get-RefilledDataset Mnist -Split Train -Classes (0..4) -ValidationFraction 0.1
    Invoke-RefilledPretraining smallcnn -Data $teacherTrain -Epochs $TeacherEpochs @common | Export-RefilledModel $teacherFile -Force
}
$teacher = Import-Teacher $teacherFile

$results = foreach ($shots in $K) {
    foreach ($s in $Seed) {
        $split = @{ Classes = $studentClasses; ValidationFraction = 0.2; Seed = $s }
        $train = Get-RefilledDataset Mnist -Split Train -SamplesPerClass $shots @split
        $val = Get-RefilledDataset Mnist -Split Validation @split
        $epochs = [Math]::Max(1, [Math]::Round($Steps / [Math]::Max(1, [Math]::Floor($train.Count / 64))))
        $run = $common + @{ Data = $train; ValidationData = $val; Epochs = $epochs; Seed = $s; EvaluateEvery = [Math]::Max(1, [Math]::Floor($epochs / 10)) }
        foreach ($precision in 'Float32', 'BFloat16') {
            $start = $clock.Elapsed.TotalSeconds
            $student = New-Student smallcnn-16 -Dataset $train -Seed $s |
                Invoke-RefilledStage1 -Teacher $teacher @run -Precision $precision |
                Invoke-RefilledStage2 -Teacher $teacher -Lambda $Lambda @run -Precision $precision
            $seconds = $clock.Elapsed.TotalSeconds - $start
            $inFloat32 = $student | Measure-Student -Data $test
            $inOwn = $student | Measure-Student -Data $test -Precision $precision
            [pscustomobject]@{
                K = $shots; Seed = $s; Precision = $precision; TestAccuracy = $inFloat32.Accuracy; TestAccuracyInPrecision = $inOwn.Accuracy
                NcmAccuracy = $inFloat32.NcmAccuracy; Stage1Loss = $student.History.Where({ $_.Stage -eq 'Stage1' })[-1].Loss
                Stage2Loss = $student.History[-1].Loss; TrainSeconds = [Math]::Round($seconds, 1)
            }
            Write-Host ("K={0,-3} seed {1} {2,-8}: test {3:0.0000} (measured in {2}: {4:0.0000})  {5:0} s" -f $shots, $s, $precision,
                $inFloat32.Accuracy, $inOwn.Accuracy, $seconds)
        }
    }
}
$results | Export-Csv (Join-Path $OutputPath 'precision.csv') -NoTypeInformation
function Format-MeanStd([double[]] $values) {
    $mean = ($values | Measure-Object -Average).Average
    $std = if ($values.Count -gt 1) { [Math]::Sqrt((($values | ForEach-Object { ($_ - $mean) * ($_ - $mean) }) | Measure-Object -Sum).Sum / ($values.Count - 1)) } else { 0 }
    '{0:0.0} ± {1:0.1}' -f (100 * $mean), (100 * $std)
}
$results | Group-Object K, Precision | ForEach-Object {
    [pscustomobject]@{
        K = $_.Group[0].K; Precision = $_.Group[0].Precision; Seeds = $_.Count
        'Test %' = Format-MeanStd $_.Group.TestAccuracy
        'Test % (measured in precision)' = Format-MeanStd $_.Group.TestAccuracyInPrecision
        'NCM %' = Format-MeanStd $_.Group.NcmAccuracy
        'Train s (median)' = ($_.Group.TrainSeconds | Sort-Object)[[Math]::Floor(($_.Count - 1) / 2)]
    }
} | Format-Table -AutoSize | Out-String | Write-Host
Write-Host ("Lambda {0} for every run; test digits only for the final accuracy. {1:0} s in all." -f $Lambda, $clock.Elapsed.TotalSeconds)
