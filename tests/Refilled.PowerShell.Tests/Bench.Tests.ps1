BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:root = Resolve-Path (Join-Path $PSScriptRoot '../..')
}

# The bench's output format only: timings are never asserted (they live in the Bench task, not in tests).
Describe 'Refilled.Bench' {
    BeforeAll {
        $dotnet = [Environment]::ProcessPath
        $project = Join-Path $root 'src/Refilled.Bench/Refilled.Bench.csproj'
        & $dotnet build $project -c Release --nologo -v quiet | Out-Null
        $LASTEXITCODE | Should -Be 0
        $dll = Join-Path $root 'src/Refilled.Bench/bin/Release/net10.0/Refilled.Bench.dll'
        # --smoke: the -Quick lines at the smallest sizes, so the test stays well under a minute.
        $script:lines = @(& $dotnet $dll --smoke)
        $script:exitCode = $LASTEXITCODE
    }

    It 'exits with 0 and prints only JSON objects, one per line' {
        $exitCode | Should -Be 0
        $lines.Count | Should -BeGreaterThan 0
        foreach ($line in $lines) {
            { $line | ConvertFrom-Json -ErrorAction Stop } | Should -Not -Throw -Because $line
            $line | Should -BeLike '{*}'
        }
    }

    It 'reports every benchmark the issue names' {
        $records = $lines | ForEach-Object { $_ | ConvertFrom-Json }
        $names = $records.name
        foreach ($name in 'stage1_step', 'stage1_tuple_step', 'stage2_step', 'ce_step', 'eval_forward', 'onnx_eval', 'miner', 'loader', 'gemm_gflops', 'rss_mb') {
            $names | Should -Contain $name
        }
        @($records | Where-Object name -eq 'miner').batch | Should -Be @(128, 256)
        # TorchSharp and ONNX Runtime side by side at each evaluation batch.
        @($records | Where-Object name -eq 'onnx_eval' | ForEach-Object { "$($_.runtime)@$($_.batch)" }) |
            Should -Be @('torchsharp@1', 'onnxruntime@1', 'torchsharp@16', 'onnxruntime@16')
        @($records | Where-Object name -eq 'rss_mb').epoch | Should -Be @(1, 2, 3, 4, 5)
        foreach ($step in $records | Where-Object { $_.name -like '*_step' -or $_.name -in 'eval_forward', 'onnx_eval' }) {
            $step.arch | Should -Be 'wrn-16-1'
            $step.threads | Should -BeGreaterOrEqual 1
            $step.images_per_s | Should -BeGreaterThan 0
            $step.ms_per_step | Should -BeGreaterThan 0
        }
        ($records | Where-Object name -eq 'stage1_step').triplets | Should -Not -BeNullOrEmpty
    }
}
