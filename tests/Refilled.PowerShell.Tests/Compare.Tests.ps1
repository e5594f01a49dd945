BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:root = Join-Path ([IO.Path]::GetTempPath()) "refilled-compare-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory -Force $root | Out-Null
    # Results as a user's script collects them: accuracies are fractions, K the training images per class.
    function script:Result([string] $Method, [int] $Seed, [double] $Accuracy, $K = 20) {
        [pscustomobject]@{ Method = $Method; Seed = $Seed; K = $K; Accuracy = $Accuracy }
    }
    # Worked by hand: differences +1, +2, +3 points: mean 2, s = 1, t(0.975, 2) = 4.303, half width 4.303 / sqrt 3 = 2.484.
    $script:threeSeeds = @(
        Result Scratch 0 0.90; Result Scratch 1 0.80; Result Scratch 2 0.85
        Result Refilled 0 0.91; Result Refilled 1 0.82; Result Refilled 2 0.88
    )
}

AfterAll {
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Compare-RefilledResult' {
    It 'pairs by seed and writes the mean difference in points, its 95 % t interval and the verdict' {
        $d = $threeSeeds | Compare-RefilledResult
        $d.Method | Should -Be 'Refilled'
        $d.Reference | Should -Be 'Scratch'
        $d.K | Should -Be 20
        $d.N | Should -Be 3
        $d.MeanDifference | Should -BeLessThan 2.000001
        $d.MeanDifference | Should -BeGreaterThan 1.999999
        $d.Lower | Should -BeLessThan (2 - 2.484 + 0.001)
        $d.Lower | Should -BeGreaterThan (2 - 2.484 - 0.001)
        $d.Upper | Should -BeGreaterThan (2 + 2.484 - 0.001)
        "$($d.Verdict)" | Should -Be 'NoClearDifference'
        ($d | Format-Table | Out-String) | Should -Match '\+2\.00 +\[-0\.48, \+4\.48\] +NoClearDifference'
    }

    It 'says Ahead or Behind only when the interval excludes zero, per K, against any -Reference' {
        $rows = @(
            Result Scratch 0 0.80 100; Result Scratch 1 0.82 100; Result Scratch 2 0.84 100
            Result Kd 0 0.85 100; Result Kd 1 0.87 100; Result Kd 2 0.88 100
        ) + $threeSeeds
        $out = $rows | Compare-RefilledResult -Reference Kd -WarningAction SilentlyContinue
        ($out | ForEach-Object { '{0}@{1}' -f $_.Method, $_.K }) | Should -Be @('Scratch@100')
        "$($out.Verdict)" | Should -Be 'Behind'
        $ahead = $rows | Compare-RefilledResult | Where-Object K -EQ 100
        "$($ahead.Verdict)" | Should -Be 'Ahead'
        $ahead.Lower | Should -BeGreaterThan 0
    }

    It 'reads Import-Csv rows (strings, K empty when the runs have none)' {
        $csv = Join-Path $root 'results.csv'
        $threeSeeds | Select-Object Method, Seed, @{ n = 'K'; e = { '' } }, Accuracy | Export-Csv $csv -NoTypeInformation
        $d = Import-Csv $csv | Compare-RefilledResult
        $d.K | Should -BeNullOrEmpty
        $d.N | Should -Be 3
        [Math]::Round($d.MeanDifference, 6) | Should -Be 2
    }

    It 'refuses percentages instead of guessing' {
        $percent = $threeSeeds | ForEach-Object { Result $_.Method $_.Seed (100 * $_.Accuracy) }
        $e = { $percent | Compare-RefilledResult } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'Refilled.AccuracyNotFraction*'
        $e.Exception.Message | Should -BeLike '*divide it by 100*'
    }

    It 'stops with <Id> and the offending method as target' -ForEach @(
        @{ Id = 'TooFewPairs'; Target = 'Refilled'; Rows = { @((Result Scratch 0 0.9), (Result Scratch 1 0.8), (Result Refilled 0 0.9)) } }
        @{ Id = 'NoReferenceRuns'; Target = 'Scratch'; Rows = { @((Result Refilled 0 0.9), (Result Refilled 1 0.8)) } }
        @{ Id = 'DuplicateSeed'; Target = 'Refilled'; Rows = { @((Result Scratch 0 0.9), (Result Refilled 0 0.8), (Result Refilled 0 0.7)) } }
    ) {
        $e = { & $Rows | Compare-RefilledResult } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike "Refilled.$Id,*"
        $e.TargetObject | Should -Be $Target
        "$($e.CategoryInfo.Category)" | Should -Be 'InvalidData'
        $e.Exception.Message | Should -Not -Match 'Parameter'
    }

    It 'names a row without Method, Seed or Accuracy' {
        $e = { [pscustomobject]@{ Method = 'Scratch'; Accuracy = 0.9 } | Compare-RefilledResult } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'Refilled.MissingProperty*'
        $e.Exception.Message | Should -BeLike '*no Seed*'
    }

    It 'warns about runs without a partner and compares the rest' {
        $rows = $threeSeeds + (Result Refilled 7 0.9)
        $d = $rows | Compare-RefilledResult -WarningVariable warnings -WarningAction SilentlyContinue
        $d.N | Should -Be 3
        "$warnings" | Should -BeLike '*Refilled seed 7 K=20*'
    }
}

Describe 'Compare-RefilledResult on measured students and on a sweep' {
    BeforeAll {
        $script:mnist = New-TinyMnist (Join-Path $root 'tiny-mnist') -Classes 4
    }

    It 'compares Measure-Student results labelled by their last stage or by -Method' {
        $split = @{ Path = $mnist; Classes = 2, 3; ValidationFraction = 0.25; Seed = 3 }
        $train = Get-RefilledDataset Mnist -Split Train @split
        $test = Get-RefilledDataset Mnist -Path $mnist -Split Test -Classes 2, 3
        $common = @{ Data = $train; Epochs = 1; BatchSize = 16; Threads = 2 }
        $measured = foreach ($s in 0, 1) {
            New-Student smallcnn-16 -Dataset $train -Seed $s | Invoke-RefilledBaseline Scratch @common -Seed $s | Measure-Student -Data $test
            New-Student smallcnn-16 -Dataset $train -Seed $s | Invoke-RefilledBaseline Scratch @common -Seed $s -LearningRate 0.2 |
                Measure-Student -Data $test -Method 'Scratch lr 0.2'
        }
        $measured.Method | Should -Be @('Scratch', 'Scratch lr 0.2', 'Scratch', 'Scratch lr 0.2')
        $d = $measured | Compare-RefilledResult
        $d.Method | Should -Be 'Scratch lr 0.2'
        $d.N | Should -Be 2
        $expected = 100 * (($measured[1].Accuracy - $measured[0].Accuracy) + ($measured[3].Accuracy - $measured[2].Accuracy)) / 2
        [Math]::Abs($d.MeanDifference - $expected) | Should -BeLessThan 1e-9
    }

    It 'compares a method x lambda x seed sweep from Get-RefilledRun on its experiment file: each lambda its own setting, Scratch once per seed' {
        $file = Join-Path $root 'sweep.yaml'
        @"
name: sweep
data: { path: ./tiny-mnist, classes: [2, 3], validation_fraction: 0.25 }
teacher: { pretrain: { architecture: smallcnn, classes: [0, 1], epochs: 1, lr: 0.05, batch: 16, validation_fraction: 0 } }
student: { architecture: smallcnn-16 }
stages:
  stage1: { epochs: 1, lr: 0.05, batch: 16 }
  stage2: { epochs: 1, lr: 0.05, batch: 16, lambda: 1 }
  baseline: { method: scratch, epochs: 2, lr: 0.05, batch: 16 }
seeds: [0, 1]
threads: 2
sweep:
  method: [refilled, scratch]
  lambda: [0.1, 1]
"@ | Set-Content $file
        $null = Invoke-RefilledExperiment $file
        $runs = Get-RefilledRun $file
        $runs.Count | Should -Be 8
        $d = $runs | Compare-RefilledResult -WarningVariable warnings
        $warnings | Should -BeNullOrEmpty
        ($d.Method | Sort-Object) | Should -Be @('Refilled lambda=0.1', 'Refilled lambda=1')
        $d.N | Should -Be @(2, 2)
        $accuracy = { param($setting, $seed) @($runs | Where-Object { $_.Setting -eq $setting -and $_.Config.Seed -eq $seed })[0].Result.TestAccuracy }
        $expected = 100 * ((& $accuracy 'Refilled lambda=0.1' 0) - (& $accuracy Scratch 0) + (& $accuracy 'Refilled lambda=0.1' 1) - (& $accuracy Scratch 1)) / 2
        [Math]::Abs(($d | Where-Object Method -EQ 'Refilled lambda=0.1').MeanDifference - $expected) | Should -BeLessThan 1e-9

        $lambdas = $runs | Compare-RefilledResult -Reference 'Refilled lambda=1'
        ($lambdas.Method | Sort-Object) | Should -Be @('Refilled lambda=0.1', 'Scratch')
    }

    It 'leaves out the runs of a sweep that have not finished, with a warning that names them' {
        # The same sweep with a third seed: its four runs have no folder yet (Pending).
        $more = Join-Path $root 'sweep-more.yaml'
        (Get-Content (Join-Path $root 'sweep.yaml') -Raw) -replace 'seeds: \[0, 1\]', 'seeds: [0, 1, 2]' | Set-Content $more
        $d = Get-RefilledRun $more | Compare-RefilledResult -WarningVariable warnings -WarningAction SilentlyContinue
        $d.N | Should -Be @(2, 2)
        "$warnings" | Should -BeLike '*4 run(s) without a test accuracy*seed=2 (Pending)*'
    }
}
