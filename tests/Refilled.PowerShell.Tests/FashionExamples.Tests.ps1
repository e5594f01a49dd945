BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:folder = Join-Path $PSScriptRoot '../../examples/fashion'
    function script:Runs([int] $K) {
        [Refilled.Engine.Experiments.Experiment]::Load((Resolve-Path (Join-Path $folder "cross-task-k$K.yaml"))).Expand()
    }
}

Describe 'examples/fashion/cross-task-k<K>.yaml' -ForEach @(
    @{ K = 20; Epochs = 20 }      # 140 SGD steps: 20 epochs of ceil(100 / 16) = 7 batches
    @{ K = 100; Epochs = 20 }     # 640 SGD steps: 20 epochs of ceil(500 / 16) = 32 batches
) {
    It 'plans 8 methods x 5 seeds on K images per class, K/2 validation, at equal SGD steps' {
        $runs = Runs $K
        $runs.Count | Should -Be 40
        @($runs.Config.Method | Select-Object -Unique) | Should -Be @('Scratch', 'Refilled', 'TeacherNcm', 'FineTune', 'FitNet', 'AttentionTransfer', 'Rkd', 'Crd')
        @($runs.Config.Seed | Select-Object -Unique) | Should -Be @(0, 1, 2, 3, 4)
        foreach ($run in $runs) {
            $run.Config.Data.SamplesPerClass | Should -Be $K
            $run.Config.Data.ValidationPerClass | Should -Be ($K / 2)
            $run.Config.Stages.BatchSize | Select-Object -Unique | Should -Be 16
            # REFILLED's two stages together against each baseline's one; TeacherNcm trains nothing.
            if ($run.Config.Method -ne 'TeacherNcm') { ($run.Config.Stages | Measure-Object -Property Epochs -Sum).Sum | Should -Be $Epochs }
        }
    }
}

Describe 'The Fashion-MNIST files K = 20 and K = 100' {
    It 'pretrain the same teacher, so that one cached checkpoint serves both' {
        $teachers = foreach ($k in 20, 100) {
            $text = Get-Content (Join-Path $folder "cross-task-k$k.yaml") -Raw
            $block = [regex]::Match($text, '(?ms)^teacher:.*?(?=^\S)').Value -replace '[ \t]*#[^\n]*', ''
            $config = (Runs $k)[0].Config
            "$block|$($config.Data.Name)|$($config.Data.Path)|$($config.Threads)"
        }
        $teachers[0] | Should -Match 'architecture: smallcnn'
        $teachers[1] | Should -Be $teachers[0]
    }
}
