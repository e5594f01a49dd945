BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:root = Join-Path ([IO.Path]::GetTempPath()) "refilled-baselines-$([guid]::NewGuid().ToString('N'))"
    $script:mnist = New-TinyMnist (Join-Path $root 'tiny-mnist') -Classes 4
    $script:example = Join-Path $PSScriptRoot '../../examples/compare-methods.yaml'
    $split = @{ Path = $mnist; Classes = 2, 3; ValidationFraction = 0.25; Seed = 3 }
    $script:train = Get-RefilledDataset Mnist -Split Train @split
    $script:val = Get-RefilledDataset Mnist -Split Validation @split
    $teacherData = Get-RefilledDataset Mnist -Path $mnist -Split Train -Classes 0, 1 -Seed 3
    $script:teacher = Invoke-RefilledPretraining smallcnn -Data $teacherData -Epochs 1 -BatchSize 16 -LearningRate 0.05 -Threads 2
}

AfterAll {
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Invoke-RefilledBaseline with a cross-task teacher' {
    It 'fine-tunes the teacher''s architecture, not the requested student''s, and says so' {
        $s = New-Student smallcnn-16 -Dataset $train |
            Invoke-RefilledBaseline FineTune -Teacher $teacher -Data $train -ValidationData $val -Epochs 1 -BatchSize 16 -Threads 2 -Verbose 4>&1
        $verbose = @($s | Where-Object { $_ -is [Management.Automation.VerboseRecord] })
        $student = $s | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] }
        $student.Architecture | Should -Be $teacher.Architecture
        $student.Classes | Should -Be @(2, 3)
        $student.Stage | Should -Be 'FineTune'
        ($verbose.Message -join "`n") | Should -Match 'teacher''s architecture, smallcnn, not the requested smallcnn-16'
    }

    It 'measures the teacher''s nearest class mean without training' {
        $s = New-Student smallcnn-16 -Dataset $train | Invoke-RefilledBaseline TeacherNcm -Teacher $teacher -Data $train -BatchSize 16
        $s.Stage | Should -Be 'TeacherNcm'
        $s.History.Count | Should -Be 0
        $m = $s | Measure-Student -Data $val
        $m.Accuracy | Should -BeGreaterOrEqual 0
        $m.Accuracy | Should -BeLessOrEqual 1
    }

    It 'trains FitNet in one stage (RepDistiller''s) and the two-stage variant''s hint phase, then classification, within -Epochs' {
        $s = New-Student smallcnn-16 -Dataset $train |
            Invoke-RefilledBaseline FitNet -Teacher $teacher -Data $train -ValidationData $val -Epochs 2 -HintWeight 10 -BatchSize 16 -Threads 2
        $s.History.Stage | Should -Be @('FitNet', 'FitNet')
        $s = New-Student smallcnn-16 -Dataset $train |
            Invoke-RefilledBaseline FitNetTwoStage -Teacher $teacher -Data $train -ValidationData $val -Epochs 4 -HintFraction 0.5 -BatchSize 16 -Threads 2
        $s.History.Stage | Should -Be @('FitNetHint', 'FitNetHint', 'FitNetTwoStage', 'FitNetTwoStage')
        $s.Stage | Should -Be 'FitNetTwoStage'
    }

    It 'refuses two-stage FitNet with a single epoch with a stable error id' {
        { New-Student smallcnn-16 -Dataset $train | Invoke-RefilledBaseline FitNetTwoStage -Teacher $teacher -Data $train -Epochs 1 } |
            Should -Throw -ErrorId 'Refilled.TooFewEpochs,Refilled.PowerShell.Commands.InvokeRefilledBaselineCommand'
    }

    It 'takes -Schedule RepDistiller''s budget, with parameters given beside it overriding single values' {
        $s = New-Student smallcnn-16 -Dataset $train |
            Invoke-RefilledBaseline AttentionTransfer -Schedule RepDistiller -Epochs 2 -BetaConvention HalfBeta -Teacher $teacher -Data $train -Threads 2
        $s.History.Count | Should -Be 2
        $s.History[0].LearningRate | Should -Be 0.05
        # Batch 64 from the preset (a last batch of one image is dropped).
        $s.History[0].Batches | Should -Be ([Math]::Floor($train.Count / 64) + [int]($train.Count % 64 -gt 1))
    }
}

Describe 'examples/compare-methods.yaml' {
    It 'plans 8 methods x 5 seeds with -WhatIf and runs nothing' {
        $out = Join-Path $root 'whatif'
        $plan = Invoke-RefilledExperiment $example -OutputPath $out -WhatIf 6>&1 5>&1 4>&1 3>&1 2>&1
        $plan | Should -BeNullOrEmpty
        $out | Should -Not -Exist
        $e = [Refilled.Engine.Experiments.Experiment]::Load((Resolve-Path $example))
        $runs = $e.Expand()
        $runs.Count | Should -Be 40
        @($runs.Config.Method | Select-Object -Unique) | Should -Be @('Refilled', 'Scratch', 'FineTune', 'TeacherNcm', 'FitNet', 'AttentionTransfer', 'Rkd', 'Crd')
        # Equal budgets in epochs of the same data and batch: REFILLED's two stages against each baseline's one.
        foreach ($run in $runs) {
            $epochs = ($run.Config.Stages | Measure-Object -Property Epochs -Sum).Sum
            if ($run.Config.Method -ne 'TeacherNcm') { $epochs | Should -Be 86 }
            $run.Config.Stages.BatchSize | Select-Object -Unique | Should -Be 16
        }
    }

    It 'runs in miniature: equal SGD steps across methods, and a report that states them' {
        $yaml = Get-Content $example -Raw
        $edits = [ordered]@{
            'name: compare-methods' = 'name: mini'
            '(?m)^  name: mnist.*$' = '  path: ./tiny-mnist'
            'classes: \[5, 6, 7, 8, 9\]' = 'classes: [2, 3]'
            'samples_per_class: 20' = 'samples_per_class: 8'
            'validation_fraction: 0.025' = 'validation_fraction: 0.25'
            'classes: \[0, 1, 2, 3, 4\]' = 'classes: [0, 1]'
            'epochs: 4\b' = 'epochs: 1'
            'epochs: 43\b' = 'epochs: 2'
            'epochs: 86\b' = 'epochs: 4'
            'batch: 16' = 'batch: 8'
            'seeds: \[0, 1, 2, 3, 4\]' = 'seeds: [0]'
            'method: \[refilled.*\]' = 'method: [refilled, fitnet, crd, teacherncm]'
        }
        foreach ($edit in $edits.GetEnumerator()) {
            $yaml | Should -Match $edit.Key -Because 'the miniature is the example with smaller numbers'
            $yaml = $yaml -replace $edit.Key, $edit.Value
        }
        $file = Join-Path $root 'mini.yaml'
        Set-Content $file $yaml
        $results = Invoke-RefilledExperiment $file -OutputPath (Join-Path $root 'runs')
        $results.Status | Should -Be @('Completed', 'Completed', 'Completed', 'Completed')
        $results.Method | Should -Be @('Refilled', 'FitNet', 'Crd', 'TeacherNcm')
        # Teacher NCM trains nothing: no metrics.csv.
        $steps = foreach ($r in $results) {
            $metrics = Join-Path $r.Path 'metrics.csv'
            if (Test-Path $metrics) { [int](Import-Csv $metrics | Measure-Object -Property batches -Sum).Sum } else { 0 }
        }
        $steps[0] | Should -BeGreaterThan 0
        $steps[1] | Should -Be $steps[0]
        $steps[2] | Should -Be $steps[0]
        $steps[3] | Should -Be 0
        @(Import-Csv (Join-Path $results[1].Path 'metrics.csv')).Stage | Select-Object -Unique | Should -Be @('FitNet')
        $results[3].Epochs | Should -Be 0
        $results[3].TestAccuracy | Should -Not -BeNullOrEmpty

        $files = Export-RefilledReport (Join-Path $root 'runs/mini')
        $html = Get-Content ($files | Where-Object Name -eq 'report.html').FullName -Raw
        $html | Should -Match 'Summary by method'
        $html | Should -Match 'Budget in SGD steps'
        $html | Should -Match '\(equal budget\)'
        $html | Should -Match 'Validation: 25 % of each class'
        foreach ($m in 'refilled', 'fitnet', 'crd', 'teacherncm') { $html | Should -Match "<tr><td>$m</td><td>1</td>" }
        $files.Name | Should -Contain 'accuracy.png'
    }
}
