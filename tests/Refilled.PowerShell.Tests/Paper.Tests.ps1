BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:paper = Join-Path $PSScriptRoot '../../examples/paper'

    # CIFAR-100 binary version: train.bin / test.bin, records of <coarse label><fine label><3072 bytes, R then G then B planes>.
    # Class c is a bright band at row 4c mod 28 over noise, so the tiny runs have something to learn.
    function script:New-TinyCifar100([string] $Path, [int[]] $Classes, [int] $TrainPerClass, [int] $TestPerClass) {
        New-Item -ItemType Directory -Force $Path | Out-Null
        $random = [Random]::new(7)
        foreach ($split in @(@{ File = 'train.bin'; PerClass = $TrainPerClass }, @{ File = 'test.bin'; PerClass = $TestPerClass })) {
            $records = [Collections.Generic.List[byte]]::new()
            foreach ($c in $Classes) {
                for ($i = 0; $i -lt $split.PerClass; $i++) {
                    $pixels = [byte[]]::new(3072)
                    $random.NextBytes($pixels)
                    $row = (4 * $c) % 28
                    for ($p = 0; $p -lt 3; $p++) { for ($x = 0; $x -lt 4 * 32; $x++) { $pixels[$p * 1024 + $row * 32 + $x] = 255 } }
                    $records.Add([byte]($c % 20)); $records.Add([byte]$c); $records.AddRange($pixels)
                }
            }
            [IO.File]::WriteAllBytes((Join-Path $Path $split.File), $records.ToArray())
        }
        $Path
    }

    # CUB-200-2011 layout: images.txt, image_class_labels.txt (1-based classes), train_test_split.txt, images/<class folder>/*.png.
    function script:New-TinyCub([string] $Path, [int[]] $Classes, [int] $TrainPerClass, [int] $TestPerClass) {
        Add-Type -Path (Join-Path (Split-Path (Get-Module Refilled).Path) 'SkiaSharp.dll') # the module's own image library
        $images = [Collections.Generic.List[string]]::new(); $labels = [Collections.Generic.List[string]]::new(); $split = [Collections.Generic.List[string]]::new()
        $id = 0
        foreach ($c in $Classes) {
            $folder = '{0:000}.Bird_{0}' -f ($c + 1)
            New-Item -ItemType Directory -Force (Join-Path $Path "images/$folder") | Out-Null
            for ($i = 0; $i -lt $TrainPerClass + $TestPerClass; $i++) {
                $id++
                $bitmap = [SkiaSharp.SKBitmap]::new(48, 40)
                $bitmap.Erase([SkiaSharp.SKColor]::new([byte](40 * $c % 256), [byte](90 + 20 * $i), [byte](200 - 30 * ($c % 5))))
                $data = [SkiaSharp.SKImage]::FromBitmap($bitmap).Encode([SkiaSharp.SKEncodedImageFormat]::Png, 100)
                [IO.File]::WriteAllBytes((Join-Path $Path "images/$folder/$i.png"), $data.ToArray())
                $data.Dispose(); $bitmap.Dispose()
                $images.Add("$id $folder/$i.png"); $labels.Add("$id $($c + 1)"); $split.Add("$id $([int]($i -lt $TrainPerClass))")
            }
        }
        Set-Content (Join-Path $Path 'images.txt') $images
        Set-Content (Join-Path $Path 'image_class_labels.txt') $labels
        Set-Content (Join-Path $Path 'train_test_split.txt') $split
        $Path
    }

    <#
    The test-only miniature of a paper file: the same keys, architectures and sweep, but the data folder given, two
    student and two teacher classes (the first and second 'classes:' of the file), epochs divided by 200 (at least 1,
    so equal budgets stay equal), K = 2 with 1 validation image per class, and a validation fraction of 0.5.
    #>
    function script:New-Miniature([string] $Name, [string] $DataPath, [int[]] $StudentClasses, [int[]] $TeacherClasses) {
        $text = Get-Content (Join-Path $paper "$Name.yaml") -Raw
        $text = $text -replace '(?m)^(  name: (cifar100|cub200).*)$', "`$1`n  path: '$DataPath'"
        $list = { param($classes) '[' + ($classes -join ', ') + ']' }
        $text = ([regex]'classes: \[[^\]]*\]').Replace($text, "classes: $(& $list $StudentClasses)", 1)
        if ($TeacherClasses) { $text = ([regex]'(?<=pretrain:[\s\S]*?)classes: \[[^\]]*\]').Replace($text, "classes: $(& $list $TeacherClasses)", 1) }
        $text = [regex]::Replace($text, 'epochs: (\d+)', { param($m) 'epochs: ' + [Math]::Max(1, [int]$m.Groups[1].Value / 200) })
        $text = $text -replace 'samples_per_class: \[[^\]]*\]', 'samples_per_class: [2]' -replace 'validation_per_class: \d+', 'validation_per_class: 1' `
            -replace 'validation_fraction: [\d.]+', 'validation_fraction: 0.5'
        $file = Join-Path $TestDrive "$Name.yaml"
        Set-Content $file $text
        $file
    }

    $script:cifar = New-TinyCifar100 (Join-Path $TestDrive 'cifar') -Classes 0, 1, 50, 51 -TrainPerClass 4 -TestPerClass 2
}

Describe 'The paper''s experiments as files (examples/paper)' {
    It '<_> validates and expands with -WhatIf, running nothing' -ForEach @(
        'cifar100-cross-task', 'cifar100-cross-task-kshot', 'cifar100-cross-task-kshot-scratch', 'cub200-cross-task', 'cifar100-standard',
        'cifar100-standard-scratch', 'cifar100-standard-baselines'
    ) {
        $file = Join-Path $paper "$_.yaml"
        $out = Join-Path $TestDrive "whatif-$_"
        Invoke-RefilledExperiment $file -OutputPath $out -WhatIf | Should -BeNullOrEmpty
        Test-Path $out | Should -BeFalse
        $runs = @(Get-RefilledRun $file -OutputPath $out)
        $runs.Count | Should -BeGreaterThan 0
        $runs.Status | Sort-Object -Unique | Should -Be 'Pending'
        $text = Get-Content $file -Raw
        $text | Should -Match 'Should reproduce'
        $text | Should -Match 'Wall time on one GPU'
    }

    It 'lists every student of the paper''s tables' {
        @(Get-RefilledRun (Join-Path $paper 'cifar100-cross-task.yaml') -OutputPath $TestDrive).Config.StudentArchitecture |
            Should -Be @('wrn-40-2', 'wrn-16-2', 'wrn-40-1', 'wrn-16-1')
        @(Get-RefilledRun (Join-Path $paper 'cub200-cross-task.yaml') -OutputPath $TestDrive).Config.StudentArchitecture |
            Should -Be @('mobilenet-1.0', 'mobilenet-0.75', 'mobilenet-0.5', 'mobilenet-0.25')
        $kshot = @(Get-RefilledRun (Join-Path $paper 'cifar100-cross-task-kshot.yaml') -OutputPath $TestDrive)
        $kshot.Count | Should -Be 16
        $kshot[0].Config.Data.ValidationPerClass | Should -Be 10
        # Its from-scratch side: the same students, K and validation draws, at REFILLED's SGD steps.
        $scratch = @(Get-RefilledRun (Join-Path $paper 'cifar100-cross-task-kshot-scratch.yaml') -OutputPath $TestDrive)
        $scratch.RunId | Should -Be $kshot.RunId
        $scratch.Config.Method | Sort-Object -Unique | Should -Be 'Scratch'
        ($scratch.Config.Data | ConvertTo-Json -Depth 3) | Should -Be ($kshot.Config.Data | ConvertTo-Json -Depth 3)
        $scratch[0].Config.Baseline.Epochs | Should -Be ($kshot[0].Config.Stage1.Epochs + $kshot[0].Config.Stage2.Epochs)
    }

    It 'trains the standard table''s baselines on RepDistiller''s schedule' {
        $runs = @(Get-RefilledRun (Join-Path $paper 'cifar100-standard-baselines.yaml') -OutputPath $TestDrive)
        $runs.Count | Should -Be 15
        # By name: Sort-Object orders a TrainingMethod by its number.
        $runs.Config.Method.ForEach({ "$_" }) | Sort-Object -Unique | Should -Be @('AttentionTransfer', 'FitNet', 'KnowledgeDistillation', 'Rkd', 'Crd' | Sort-Object)
        foreach ($b in $runs.Config.Baseline) {
            ($b.Epochs, $b.LearningRate, $b.BatchSize, $b.Gamma, $b.Nesterov) | Should -Be @(240, 0.05, 64, 0.1, $false)
            $b.Milestones | Should -Be @(150, 180, 210)
        }
    }

    # To keep the suite small, each miniature runs one run of its file (the smallest student, -RunIndex): the teacher's
    # pretraining, the data, both stages and the measurement all run as the file declares them.
    It 'runs the CIFAR-100 cross-task files end to end on tiny CIFAR-100 binary files' {
        $out = Join-Path $TestDrive 'cross'
        foreach ($name in 'cifar100-cross-task', 'cifar100-cross-task-kshot', 'cifar100-cross-task-kshot-scratch') {
            $result = Invoke-RefilledExperiment (New-Miniature $name $cifar -StudentClasses 50, 51 -TeacherClasses 0, 1) -OutputPath $out -RunIndex 3
            $result.Status | Should -Be 'Completed'
            $result.RunId | Should -BeLike 'student=wrn-16-1*'
            $result.TestAccuracy | Should -BeGreaterOrEqual 0
            $result.TestAccuracy | Should -BeLessOrEqual 1
        }
        (Get-Content (Join-Path $result.Path 'run.log') -Raw) | Should -Match 'Data: 4 training, 2 validation, 4 test images'
    }

    It 'runs standard distillation and its Scratch file at equal SGD steps, and the report says so' {
        $out = Join-Path $TestDrive 'standard'
        foreach ($name in 'cifar100-standard', 'cifar100-standard-scratch') {
            $result = Invoke-RefilledExperiment (New-Miniature $name $cifar -StudentClasses 0, 1, 50, 51 -TeacherClasses 0, 1, 50, 51) -OutputPath $out -RunIndex 2
            $result.Status | Should -Be 'Completed'
            $result.Method | Should -Be ($name -match 'scratch' ? 'Scratch' : 'Refilled')
        }
        $files = @(Export-RefilledReport $out -OutputPath (Join-Path $TestDrive 'standard-report'))
        $html = Get-Content ($files | Where-Object Name -eq 'report.html').FullName -Raw
        $html | Should -Match 'all training images: Refilled: 2 \(1 \+ 1\) steps; Scratch: 2 steps \(equal budget\)'
        $html | Should -Match 'Validation: 50 % of each class'
        $html | Should -Match 'test labels are never used for selection'
    }

    It 'runs the baselines file''s FitNet (ConvReg between WRN groups) end to end on tiny CIFAR-100 binary files' {
        $file = New-Miniature 'cifar100-standard-baselines' $cifar -StudentClasses 0, 1, 50, 51 -TeacherClasses 0, 1, 50, 51
        $runs = @(Get-RefilledRun $file -OutputPath (Join-Path $TestDrive 'baselines'))
        $index = [array]::FindIndex([object[]]$runs, [Predicate[object]] { param($r) $r.Config.Method -eq 'FitNet' -and $r.Config.StudentArchitecture -eq 'wrn-16-1' })
        $index | Should -BeGreaterOrEqual 0
        $result = Invoke-RefilledExperiment $file -OutputPath (Join-Path $TestDrive 'baselines') -RunIndex $index
        $result.Status | Should -Be 'Completed'
        $result.Method | Should -Be 'FitNet'
        @(Import-Csv (Join-Path $result.Path 'metrics.csv')).learning_rate | Select-Object -First 1 | Should -Be 0.05
    }

    It 'runs the CUB-200 cross-task file end to end on a tiny CUB-200-2011 folder' {
        $cub = New-TinyCub (Join-Path $TestDrive 'cub') -Classes 0, 1, 100, 101 -TrainPerClass 4 -TestPerClass 1
        $result = Invoke-RefilledExperiment (New-Miniature 'cub200-cross-task' $cub -StudentClasses 100, 101 -TeacherClasses 0, 1) -OutputPath (Join-Path $TestDrive 'cub-runs') -RunIndex 3
        $result.Status | Should -Be 'Completed'
        $config = Get-Content (Join-Path $result.Path 'config.yaml') -Raw
        $config | Should -Match 'architecture: mobilenet-0.25'
        $config | Should -Match 'architecture: mobilenet-1.0' # the teacher
    }
}
