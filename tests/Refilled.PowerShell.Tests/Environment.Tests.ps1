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
}
