BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:root = Join-Path ([IO.Path]::GetTempPath()) "refilled-recipe-$([guid]::NewGuid().ToString('N'))"
    $script:mnist = New-TinyMnist (Join-Path $root 'tiny-mnist') -Classes 4
    $split = @{ Path = $mnist; Classes = 2, 3; ValidationFraction = 0.25; Seed = 3 }
    $script:train = Get-RefilledDataset Mnist -Split Train @split
    $script:val = Get-RefilledDataset Mnist -Split Validation @split
    $teacherData = Get-RefilledDataset Mnist -Path $mnist -Split Train -Classes 0, 1 -Seed 3
    $script:teacherFile = Join-Path $root 'teacher.refilled'
    Invoke-RefilledPretraining smallcnn -Data $teacherData -Epochs 1 -BatchSize 16 -LearningRate 0.05 -Threads 2 |
        Export-RefilledModel $teacherFile -Force
    $script:teacher = Import-Teacher $teacherFile
    # The same settings as cmdlet parameters and as stage keys (a non-default value for every common hyperparameter kind).
    $script:stage1 = @{ Epochs = 2; LearningRate = 0.05; BatchSize = 16; Momentum = 0.8; Nesterov = $false; Tau = 3 }
    $script:stage2 = @{ Epochs = 2; LearningRate = 0.05; BatchSize = 16; Lambda = 1; LambdaDecay = 0.5; WeightDecay = 0.001; Milestones = 1 }
    $script:run = @{ Seed = 3; Threads = 2; ValidationData = $val; Data = $train; Teacher = $teacher }
    function script:New-Experiment([string] $Name, [string] $Stages, [string] $Student = 'architecture: smallcnn-16') {
        $file = Join-Path $root "$Name.yaml"
        @"
name: $Name
data: { path: ./tiny-mnist, classes: [2, 3], validation_fraction: 0.25, test: false }
teacher: { file: ./teacher.refilled }
student: { $Student }
stages:
$Stages
seed: 3
threads: 2
"@ | Set-Content $file
        $file
    }
}

AfterAll {
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'One recipe per stage' {
    It 'trains bit-identical weights from a cmdlet pipeline and from an experiment file with the same settings and seed' {
        $file = New-Experiment 'same' @'
  stage1: { epochs: 2, lr: 0.05, batch: 16, momentum: 0.8, nesterov: false, tau: 3 }
  stage2: { epochs: 2, lr: 0.05, batch: 16, lambda: 1, lambda_decay: 0.5, weight_decay: 0.001, milestones: [1] }
'@
        (Get-Content $file -Raw) + "tensorboard: true`n" | Set-Content $file
        $logs = Join-Path $root 'tb-cmdlet'
        $s = New-Student smallcnn-16 -Dataset $train -Seed 3 | Invoke-RefilledStage1 @run @stage1 -LogDirectory $logs | Invoke-RefilledStage2 @run @stage2 -LogDirectory $logs
        $r = Invoke-RefilledExperiment $file -OutputPath (Join-Path $root 'runs')
        $r.Status | Should -Be 'Completed'
        # TensorBoard event files: one run per folder, with the named loss terms as scalars.
        foreach ($folder in $logs, $r.Path) {
            $events = @(Get-ChildItem $folder -Filter 'events.out.tfevents.*')
            $events.Count | Should -BeGreaterThan 0
            $text = -join ($events | ForEach-Object { [Text.Encoding]::ASCII.GetString([IO.File]::ReadAllBytes($_.FullName)) })
            $text | Should -Match 'Stage2/kl'
            $text | Should -Match 'Stage1/relationship'
        }
        [Refilled.Engine.Experiments.ExperimentRunner]::WeightsSha256($s.Network) | Should -Be $r.WeightsSha256
        # metrics.csv names the loss terms: stage 1's relationship loss, stage 2's cross-entropy and KL.
        $rows = @(Import-Csv (Join-Path $r.Path 'metrics.csv'))
        $rows.Stage | Should -Be @('Stage1', 'Stage1', 'Stage2', 'Stage2')
        foreach ($row in $rows | Where-Object Stage -eq 'Stage2') {
            [double]$row.cross_entropy | Should -BeGreaterThan 0
            [double]$row.kl | Should -BeGreaterOrEqual 0
            $row.relationship | Should -BeNullOrEmpty
        }
        [double]$rows[0].relationship | Should -BeGreaterOrEqual 0
        $s.History[-1].Terms['cross_entropy'] | Should -Be ([double]$rows[-1].cross_entropy)
    }

    It 'runs stage 2 alone from a trained student checkpoint, as Invoke-RefilledStage2 does' {
        $file = Join-Path $root 'after-stage1.refilled'
        New-Student smallcnn-16 -Dataset $train -Seed 4 | Invoke-RefilledStage1 @run @stage1 | Export-RefilledModel $file -Force
        $s = Import-Student $file | Invoke-RefilledStage2 @run @stage2
        $r = Invoke-RefilledExperiment (New-Experiment 'stage2only' -Student 'file: ./after-stage1.refilled' @'
  stage2: { epochs: 2, lr: 0.05, batch: 16, lambda: 1, lambda_decay: 0.5, weight_decay: 0.001, milestones: [1] }
'@) -OutputPath (Join-Path $root 'runs')
        @(Import-Csv (Join-Path $r.Path 'metrics.csv')).Stage | Should -Be @('Stage2', 'Stage2')
        [Refilled.Engine.Experiments.ExperimentRunner]::WeightsSha256($s.Network) | Should -Be $r.WeightsSha256
    }

    It 'has, for every recipe hyperparameter, a cmdlet parameter and an experiment key with the same default and range' {
        $cases = @(
            @{ Recipe = [Refilled.Engine.Methods.PretrainingRecipe]; Cmdlet = 'Invoke-RefilledPretraining'; Section = 'pretrain' }
            @{ Recipe = [Refilled.Engine.Methods.Stage1Recipe]; Cmdlet = 'Invoke-RefilledStage1'; Section = 'stage1' }
            @{ Recipe = [Refilled.Engine.Methods.Stage2Recipe]; Cmdlet = 'Invoke-RefilledStage2'; Section = 'stage2' }
            @{ Recipe = [Refilled.Engine.Methods.ScratchRecipe]; Cmdlet = 'Invoke-RefilledBaseline'; Section = 'scratch' }
            @{ Recipe = [Refilled.Engine.Methods.KnowledgeDistillationRecipe]; Cmdlet = 'Invoke-RefilledBaseline'; Section = 'knowledgedistillation' }
            @{ Recipe = [Refilled.Engine.Methods.FineTuneRecipe]; Cmdlet = 'Invoke-RefilledBaseline'; Section = 'finetune' }
            @{ Recipe = [Refilled.Engine.Methods.TeacherNcmRecipe]; Cmdlet = 'Invoke-RefilledBaseline'; Section = 'teacherncm' }
            @{ Recipe = [Refilled.Engine.Methods.FitNetRecipe]; Cmdlet = 'Invoke-RefilledBaseline'; Section = 'fitnet' }
            @{ Recipe = [Refilled.Engine.Methods.FitNetTwoStageRecipe]; Cmdlet = 'Invoke-RefilledBaseline'; Section = 'fitnettwostage' }
            @{ Recipe = [Refilled.Engine.Methods.AttentionTransferRecipe]; Cmdlet = 'Invoke-RefilledBaseline'; Section = 'attentiontransfer' }
            @{ Recipe = [Refilled.Engine.Methods.RkdRecipe]; Cmdlet = 'Invoke-RefilledBaseline'; Section = 'rkd' }
            @{ Recipe = [Refilled.Engine.Methods.CrdRecipe]; Cmdlet = 'Invoke-RefilledBaseline'; Section = 'crd' }
        )
        $checked = 0
        foreach ($case in $cases) {
            $recipe = $case.Recipe::new()
            $command = Get-Command $case.Cmdlet
            $cmdlet = [Activator]::CreateInstance($command.ImplementingType)
            $stages = switch ($case.Section) {
                'pretrain' { "stages: { baseline: { method: scratch } }`nteacher: { pretrain: { architecture: smallcnn, classes: [0, 1] } }" }
                { $_ -in 'stage1', 'stage2' } { "stages: { $_`: {} }`nteacher: { file: t.refilled }" }
                default { "stages: { baseline: { method: $_ } }`nteacher: { file: t.refilled }" }
            }
            $config = [Refilled.Engine.Experiments.Experiment]::Parse("name: d`ndata: { classes: [2, 3] }`nstudent: { architecture: smallcnn }`n$stages").Base
            $fromYaml = switch ($case.Section) { 'pretrain' { $config.Teacher.Pretrain.Recipe } 'stage1' { $config.Stage1 } 'stage2' { $config.Stage2 } default { $config.Baseline } }
            $fromYaml.GetType() | Should -Be $case.Recipe
            $written = [Refilled.Engine.Experiments.ExperimentYaml]::Write($config)
            foreach ($key in [Refilled.Engine.Training.RecipeKey]::Of($case.Recipe)) {
                $name = $key.Property.Name
                $default = $key.Property.GetValue($recipe)
                $command.Parameters.Keys | Should -Contain $name -Because "$($case.Cmdlet) must reach $($case.Recipe.Name).$name"
                $parameter = $cmdlet.GetType().GetProperty($name).GetValue($cmdlet)
                if ($parameter -is [Management.Automation.SwitchParameter]) { $parameter = $parameter.IsPresent }
                $parameter | Should -Be $default -Because "-$name of $($case.Cmdlet) defaults to the recipe's"
                $key.Property.GetValue($fromYaml) | Should -Be $default -Because "'$($key.Key)' in YAML defaults to the recipe's"
                if ($null -ne $default) { $written | Should -Match "\b$([regex]::Escape($key.Key)): " }
                $range = $command.Parameters[$name].Attributes | Where-Object { $_ -is [Management.Automation.ValidateRangeAttribute] }
                if ($key.Type -in [int], [double], [int[]]) {
                    [double]$range.MinRange | Should -Be $key.Min -Because "-$name has the key's range"
                    [double]$range.MaxRange | Should -Be $key.Max -Because "-$name has the key's range"
                }
                $checked++
            }
        }
        $checked | Should -BeGreaterThan 100
    }

    It 'refuses a Hinton KD run with a cross-task teacher with the same error id from YAML as from the cmdlet' {
        $file = New-Experiment 'kd' '  baseline: { method: knowledgedistillation, epochs: 1, batch: 16 }'
        $fromYaml = { Invoke-RefilledExperiment $file -OutputPath (Join-Path $root 'runs') } | Should -Throw -PassThru
        $fromCmdlet = { New-Student smallcnn-16 -Dataset $train | Invoke-RefilledBaseline KnowledgeDistillation -Teacher $teacher -Data $train -Epochs 1 } |
            Should -Throw -PassThru
        $fromYaml.FullyQualifiedErrorId | Should -BeLike 'Refilled.ClassMismatch,*'
        $fromYaml.FullyQualifiedErrorId.Split(',')[0] | Should -Be $fromCmdlet.FullyQualifiedErrorId.Split(',')[0]
        $fromYaml.CategoryInfo.Category | Should -Be $fromCmdlet.CategoryInfo.Category
        Join-Path $root 'runs/kd/run/metrics.csv' | Should -Not -Exist
    }
}

Describe 'Run-wide options: precision and device' {
    BeforeAll {
        $script:stageLines = @'
  stage1: { epochs: 2, lr: 0.05, batch: 16, momentum: 0.8, nesterov: false, tau: 3 }
  stage2: { epochs: 2, lr: 0.05, batch: 16, lambda: 1, lambda_decay: 0.5, weight_decay: 0.001, milestones: [1] }
'@
        function script:New-OptionExperiment([string] $Name, [string] $Options, [string] $Stages = $stageLines) {
            $file = New-Experiment $Name $Stages
            (Get-Content $file -Raw) + "$Options`n" | Set-Content $file
            $file
        }
        function script:Get-Sha($Model) { [Refilled.Engine.Experiments.ExperimentRunner]::WeightsSha256($Model.Network) }
        $script:probe = [Refilled.Engine.Runtime.BFloat16Support].GetProperty('IsSupported')
    }

    It 'trains stage 1 and stage 2 with -Precision BFloat16 and measures in bfloat16: finite results, float32 weights, other weights than float32' {
        $bf16 = New-Student smallcnn-16 -Dataset $train -Seed 3 | Invoke-RefilledStage1 @run @stage1 -Precision BFloat16 |
            Invoke-RefilledStage2 @run @stage2 -Precision BFloat16
        $fp32 = New-Student smallcnn-16 -Dataset $train -Seed 3 | Invoke-RefilledStage1 @run @stage1 | Invoke-RefilledStage2 @run @stage2
        $bf16.History.Count | Should -Be 4
        foreach ($epoch in $bf16.History) { [double]::IsFinite($epoch.Loss) | Should -BeTrue }
        $measured = $bf16 | Measure-Student -Data $val -Precision BFloat16
        $measured.Accuracy | Should -BeGreaterOrEqual 0
        $measured.Accuracy | Should -BeLessOrEqual 1
        [double]::IsFinite($measured.NcmAccuracy) | Should -BeTrue
        # Only the teacher's forward ran in bfloat16: the student and the teacher keep float32 weights.
        foreach ($model in $bf16, $teacher) {
            $types = @($model.Network.state_dict().Values | ForEach-Object { "$($_.dtype)" } | Where-Object { $_ -ne 'Int64' } | Sort-Object -Unique)
            $types | Should -Be @('Float32')
        }
        # The teacher's bfloat16 forward changed what the student learnt (the option reached both stages).
        Get-Sha $bf16 | Should -Not -Be (Get-Sha $fp32)
    }

    It 'trains the same weights from precision: bfloat16 and device: cpu in YAML as from -Precision BFloat16 and -Device cpu' {
        $file = New-OptionExperiment 'bf16' "device: cpu`nprecision: bfloat16"
        $s = New-Student smallcnn-16 -Dataset $train -Seed 3 -Device cpu | Invoke-RefilledStage1 @run @stage1 -Precision BFloat16 |
            Invoke-RefilledStage2 @run @stage2 -Precision BFloat16
        $r = Invoke-RefilledExperiment $file -OutputPath (Join-Path $root 'runs')
        $r.Status | Should -Be 'Completed'
        $r.WeightsSha256 | Should -Be (Get-Sha $s)
        # The final measurement runs in the run's precision too, as Measure-Student -Precision BFloat16 does.
        $r.ValidationAccuracy | Should -Be ($s | Measure-Student -Data $val -Precision BFloat16).Accuracy
        $config = Get-Content (Join-Path $r.Path 'config.yaml') -Raw
        $config | Should -Match '(?m)^device: cpu$'
        $config | Should -Match '(?m)^precision: bfloat16$'
    }

    It 'reports a bad <Key> with its line and column and writes nothing' -TestCases @(
        @{ Key = 'precision'; Line = 'precision: half'; Message = "*:9:12: 'precision' must be one of float32, bfloat16, not 'half'*" }
        @{ Key = 'device'; Line = 'device: gpu'; Message = "*:9:9: 'device': 'gpu' is not a device*" }
        @{ Key = 'device'; Line = 'device: meta'; Message = "*:9:9: 'device' meta holds shapes without values*" }
    ) {
        $file = New-OptionExperiment 'badoption' $Line '  stage1: { epochs: 1 }'
        $out = Join-Path $root 'badoption-runs'
        { Invoke-RefilledExperiment $file -OutputPath $out } | Should -Throw $Message
        $out | Should -Not -Exist
    }

    It 'refuses device: cuda on this CPU build with the DeviceUnavailable error before any training' {
        $file = New-OptionExperiment 'oncuda' 'device: cuda'
        $out = Join-Path $root 'cuda-runs'
        $failure = { Invoke-RefilledExperiment $file -OutputPath $out } | Should -Throw -PassThru
        $failure.FullyQualifiedErrorId | Should -BeLike 'Refilled.DeviceUnavailable,*'
        $failure.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $failure.Exception.Message | Should -Match 'build\.ps1 -TorchBackend cuda'
        $out | Should -Not -Exist
        # A file for a GPU cluster still exports here: the Slurm tasks read the device from the file.
        $script = Export-RefilledSweep $file -Format SlurmArray -OutputPath (Join-Path $root 'oncuda.sh') -RunOutputPath $out
        (Get-Content $script.FullName -Raw) | Should -Match ([regex]::Escape("export REFILLED_EXPERIMENT='$file'"))
        $config = [Refilled.Engine.Experiments.Experiment]::Load($file).Expand()[0].Config
        "$($config.Device)" | Should -Be 'cuda:0'
        [Refilled.Engine.Experiments.ExperimentYaml]::Write($config) | Should -Match '(?m)^device: cuda:0$'
    }

    It 'resumes a run stopped on the default device onto device: cpu given explicitly, to the weights of an uninterrupted run' {
        $stages = $stageLines -replace 'stage2: \{ epochs: 2,', 'stage2: { epochs: 30,'
        $file = New-OptionExperiment 'moved' '' $stages
        $out = Join-Path $root 'moved-runs'
        $metrics = Join-Path $out 'moved/run/metrics.csv'
        # Stopped as Ctrl+C stops it, once stage 2 has completed an epoch (header, two stage-1 rows, one stage-2 row).
        $shell = [PowerShell]::Create()
        try {
            $null = $shell.AddScript("Import-Module '$env:REFILLED_MODULE_PATH'; Invoke-RefilledExperiment -Path '$file' -OutputPath '$out' -WarningAction SilentlyContinue")
            $async = $shell.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(240)
            while (-not $async.IsCompleted -and [DateTime]::UtcNow -lt $deadline -and
                -not ((Test-Path $metrics) -and @(Get-Content $metrics -ErrorAction SilentlyContinue).Count -ge 4)) {
                Start-Sleep -Milliseconds 20
            }
            $async.IsCompleted | Should -BeFalse -Because 'the run must still be training when it is stopped'
            $shell.Stop()
        }
        finally { $shell.Dispose() }
        Join-Path $out 'moved/run/result.json' | Should -Not -Exist
        Join-Path $out 'moved/run/stage2.state' | Should -Exist

        (Get-Content $file -Raw) + "device: cpu`n" | Set-Content $file
        $resumed = Invoke-RefilledExperiment $file -OutputPath $out
        $resumed.Status | Should -Be 'Completed'
        (Get-Content (Join-Path $out 'moved/run/run.log') -Raw) | Should -Match 'Stage2: resuming after epoch [1-9]'
        (Get-Content (Join-Path $out 'moved/run/config.yaml') -Raw) | Should -Match '(?m)^device: cpu$'
        $straight = Invoke-RefilledExperiment $file -OutputPath (Join-Path $root 'straight-runs')
        $resumed.WeightsSha256 | Should -Be $straight.WeightsSha256
        $resumed.ValidationAccuracy | Should -Be $straight.ValidationAccuracy
    }

    It 'refuses -Precision BFloat16 in <Name> with a ResourceUnavailable error naming the CPU where the CPU lacks bfloat16' -TestCases @(
        @{ Name = 'Invoke-RefilledStage1'; Call = { New-Student smallcnn-16 -Dataset $train | Invoke-RefilledStage1 @run -Epochs 1 -Precision BFloat16 } }
        @{ Name = 'Invoke-RefilledStage2'; Call = { New-Student smallcnn-16 -Dataset $train | Invoke-RefilledStage2 @run -Epochs 1 -Precision BFloat16 } }
        @{ Name = 'Invoke-RefilledBaseline'; Call = { New-Student smallcnn-16 -Dataset $train | Invoke-RefilledBaseline Scratch -Data $train -Epochs 1 -Precision BFloat16 } }
        @{ Name = 'Invoke-RefilledPretraining'; Call = { Invoke-RefilledPretraining smallcnn -Data $train -Epochs 1 -Precision BFloat16 } }
        @{ Name = 'Measure-Student'; Call = { $teacher | Measure-Student -Data $val -Precision BFloat16 } }
        @{ Name = 'Invoke-RefilledExperiment'; Call = { Invoke-RefilledExperiment (New-OptionExperiment 'nobf16' 'precision: bfloat16') -OutputPath (Join-Path $root 'nobf16-runs') } }
    ) {
        $was = $probe.GetValue($null)
        try {
            # This CPU has bfloat16 (AVX512-BF16/AMX); the probe's answer is forced to see the refusal.
            $probe.SetValue($null, $false)
            (Get-RefilledEnvironment).BFloat16Supported | Should -BeFalse
            $failure = { & $Call } | Should -Throw -PassThru
        }
        finally { $probe.SetValue($null, $was) }
        $failure.FullyQualifiedErrorId | Should -BeLike "Refilled.PrecisionNotSupported,*$($Name -replace '-')*"
        $failure.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        "$($failure.TargetObject)" | Should -Be 'BFloat16'
        $failure.Exception.Message | Should -Match 'native bfloat16.*this CPU'
        Join-Path $root 'nobf16-runs' | Should -Not -Exist
    }

    It 'defaults -Precision, -Device and their experiment keys alike: float32 on the CPU' {
        $config = [Refilled.Engine.Experiments.Experiment]::Parse("name: d`ndata: { classes: [2, 3] }`nstudent: { architecture: smallcnn }`nstages: { baseline: { method: scratch } }").Base
        $config.Precision | Should -Be ([Refilled.Engine.Training.TrainingOptions]::new().Precision)
        $config.Precision | Should -Be 'Float32'
        foreach ($name in 'Invoke-RefilledPretraining', 'Invoke-RefilledStage1', 'Invoke-RefilledStage2', 'Invoke-RefilledBaseline', 'Measure-Student') {
            $cmdlet = [Activator]::CreateInstance((Get-Command $name).ImplementingType)
            $cmdlet.Precision | Should -Be $config.Precision -Because "-Precision of $name defaults to the experiment key's"
        }
        $config.Device | Should -BeNullOrEmpty -Because 'no device key means the CPU'
        foreach ($name in 'Invoke-RefilledPretraining', 'New-Student', 'Import-Teacher', 'Import-Student') {
            $cmdlet = [Activator]::CreateInstance((Get-Command $name).ImplementingType)
            [Refilled.Engine.Runtime.DeviceSpec]::Parse($cmdlet.Device) | Should -Be ([Refilled.Engine.Runtime.DeviceSpec]::Cpu)
        }
    }
}

Describe 'Per-item errors' {
    It 'Import-Teacher and Import-Student report a bad path among many and go on' {
        $missing = Join-Path $root 'missing.refilled'
        $teachers = @($teacherFile, $missing, $teacherFile | Import-Teacher -ErrorVariable errs -ErrorAction SilentlyContinue)
        $teachers.Count | Should -Be 2
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'Refilled.FileNotFound,*'
        $errs[0].TargetObject | Should -BeLike '*missing.refilled'
        $students = @($missing, $teacherFile | Import-Student -ErrorVariable serrs -ErrorAction SilentlyContinue)
        $students.Count | Should -Be 1
        $serrs.Count | Should -Be 1
    }

    It 'stops Import-Teacher at once for a bad -Architecture, whatever the paths' {
        { $teacherFile, $teacherFile | Import-Teacher -Architecture wrn-banana -ErrorAction SilentlyContinue } | Should -Throw
    }

    It 'Get-RefilledRun reports a missing folder among many and lists the others' {
        $runs = @((Join-Path $root 'runs/same'), (Join-Path $root 'nowhere'), (Join-Path $root 'runs/stage2only') |
                Get-RefilledRun -ErrorVariable errs -ErrorAction SilentlyContinue)
        $runs.RunId | Should -Be @('run', 'run')
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'Refilled.FileNotFound,*'
    }
}
