BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
}

Describe 'Get-RefilledEnvironment' {
    It 'reports libtorch 2.10 and at least one thread' {
        $envInfo = Get-RefilledEnvironment
        $envInfo.LibTorchVersion | Should -BeLike '2.10.*'
        $envInfo.Threads | Should -BeGreaterOrEqual 1
        $envInfo.Backend | Should -Be 'cpu'
        $envInfo.NativeLibraryPath | Should -BeLike '*/libtorch_cpu.so'
    }

    It 'says whether the CPU computes bfloat16 natively, as its flags in /proc/cpuinfo do, and shows it in the table view' {
        $flags = -split ((Get-Content /proc/cpuinfo | Where-Object { $_ -match '^(flags|Features)\s*:' } | Select-Object -First 1) -replace '^[^:]*:', '')
        $expected = [bool]($flags | Where-Object { $_ -in 'avx512_bf16', 'amx_bf16', 'bf16' })
        $envInfo = Get-RefilledEnvironment
        $envInfo.BFloat16Supported | Should -BeOfType [bool]
        $envInfo.BFloat16Supported | Should -Be $expected
        ($envInfo | Format-Table | Out-String) | Should -Match "BFloat16[\s\S]*$expected"
    }

    It 'has a table view in the format file' {
        $text = Get-RefilledEnvironment | Format-Table | Out-String
        $text | Should -Match 'LibTorch'
        $text | Should -Match '2\.10\.'
    }
}

Describe 'The module manifest' {
    It 'exports exactly the cmdlets it lists' {
        $manifest = Import-PowerShellDataFile $env:REFILLED_MODULE_PATH
        $exported = (Get-Module Refilled).ExportedCmdlets.Keys
        @($exported | Sort-Object) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
    }

    It 'gives every cmdlet help with a synopsis, a description, every parameter and an example' {
        foreach ($name in (Get-Module Refilled).ExportedCmdlets.Keys) {
            $help = Get-Help $name -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty -Because $name
            $help.Synopsis | Should -Not -Match "^\s*$name" -Because "$name needs a written synopsis, not the syntax"
            ($help.description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because $name
            @($help.examples.example).Count | Should -BeGreaterThan 0 -Because $name
        }
    }

    It 'links every cmdlet''s help to related cmdlets, and ships the about_Refilled topic it links to' {
        foreach ($name in (Get-Module Refilled).ExportedCmdlets.Keys) {
            @((Get-Help $name).relatedLinks.navigationLink.linkText) | Should -Contain 'about_Refilled' -Because $name
        }
        (Get-Help Invoke-RefilledStage1).relatedLinks.navigationLink.linkText | Should -Contain 'Invoke-RefilledStage2'
        $about = Get-Help about_Refilled | Out-String
        foreach ($section in 'THE TWO STAGES', 'DATASETS', 'EXPERIMENT FILES', 'DEVICES') { $about | Should -Match $section }
    }

    It 'shows the defaults the code really uses in the help' {
        (Get-Help Invoke-RefilledStage1 -Parameter Tau).defaultValue | Should -Be '4'
        (Get-Help Invoke-RefilledStage2 -Parameter Lambda).defaultValue | Should -Be '100'
        (Get-Help Invoke-RefilledStage1 -Parameter Data).aliases | Should -Match 'Dataset'
    }

    It 'describes every hyperparameter with its recipe''s text and the default a fresh recipe has' {
        $lambda = (Get-Help Invoke-RefilledStage2 -Parameter Lambda).description.Text -join ' '
        $lambda | Should -BeLike 'Weight of the KL term. Default 100 *'
        $text = @{}
        foreach ($name in 'Invoke-RefilledStage1', 'Invoke-RefilledStage2', 'Invoke-RefilledPretraining', 'Invoke-RefilledBaseline') {
            foreach ($p in (Get-Help $name -Full).parameters.parameter) { $text["$name $($p.name)"] = $p.description.Text -join ' ' }
        }
        $recipes = @{ 'Invoke-RefilledStage1' = [Refilled.Engine.Methods.Stage1Recipe]; 'Invoke-RefilledStage2' = [Refilled.Engine.Methods.Stage2Recipe]
            'Invoke-RefilledPretraining' = [Refilled.Engine.Methods.PretrainingRecipe]; 'Invoke-RefilledBaseline' = [Refilled.Engine.Methods.CrdRecipe] }
        $checked = 0
        foreach ($name in $recipes.Keys) {
            $recipe = $recipes[$name]::new()
            foreach ($key in [Refilled.Engine.Training.RecipeKey]::Of($recipes[$name])) {
                $value = $key.Property.GetValue($recipe)
                $described = $text["$name $($key.Property.Name)"]
                $described | Should -BeLike "*$($key.Help.Split('{')[0].Trim())*" -Because "-$($key.Property.Name) of $name"
                if ($value -is [double] -or $value -is [int] -or $value -is [enum]) {
                    $described | Should -Match "Default $([regex]::Escape([Convert]::ToString($value, [Globalization.CultureInfo]::InvariantCulture)))\b" -Because "-$($key.Property.Name) of $name"
                }
                $checked++
            }
        }
        $checked | Should -BeGreaterThan 40
        $text['Invoke-RefilledBaseline Negatives'] | Should -BeLike 'Crd: *'
        $text['Invoke-RefilledStage2 DropLast'] | Should -BeLike '*Default off*'
    }
}

Describe 'Argument completion' {
    It 'completes -Architecture with the network specs' {
        $line = 'New-Student wrn-4'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain 'wrn-40-2'
        $completions | Should -Not -Contain 'resnet-110'
    }

    It 'completes the dataset -Name' {
        $line = 'Get-RefilledDataset Ci'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
            Should -Be @('Cifar10', 'Cifar100')
    }

    It 'completes FashionMnist for both dataset cmdlets' {
        foreach ($line in 'Get-RefilledDataset Fa', 'Save-RefilledDataset Fa') {
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'FashionMnist'
        }
    }
}
