BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $goldenNets = if ($env:REFILLED_GOLDEN_NETS_DIR) { $env:REFILLED_GOLDEN_NETS_DIR } else { Join-Path $PSScriptRoot '../fixtures/golden/nets' }
    $script:wrn = Join-Path $goldenNets 'wrn-16-2.model'
}

Describe 'Import-Teacher from PyTorch files of the released code' {
    It 'reads a released .model checkpoint when told the architecture' {
        $t = Import-Teacher $wrn -Architecture wrn-16-2
        $t.Architecture | Should -Be 'wrn-16-2'
        $t.NumClasses | Should -Be 100
        $t.EmbeddingSize | Should -Be 128
        $t.Classes.Count | Should -Be 100
    }

    It 'keeps the original class ids it is given' {
        (Import-Teacher $wrn -Architecture wrn-16-2 -Classes 100..199).Classes[0] | Should -Be 100
    }

    It 'accepts the path from Get-ChildItem by property name' {
        (Get-Item $wrn | Import-Teacher -Architecture wrn-16-2).Path | Should -Be (Get-Item $wrn).FullName
    }

    It 'asks for the architecture of a PyTorch file' {
        $err = { Import-Teacher $wrn -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.ArchitectureRequired,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'names the key and both shapes when the architecture is wrong' {
        $err = { Import-Teacher $wrn -Architecture wrn-16-1 -ErrorAction Stop } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'Refilled.ArchitectureMismatch,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -Match '\.weight|\.bias|running'
        $err.Exception.Message | Should -Match '\[\s*\d+'
    }
}
