BeforeAll {
    . (Join-Path $PSScriptRoot '../../examples/DocSections.ps1')
}

# The helper compare-peer.ps1, compare-end-to-end.ps1 and precision-mnist.ps1 write docs/performance.md with.
Describe 'examples/DocSections.ps1' {
    BeforeEach {
        $script:file = Join-Path $TestDrive 'performance.md'
        Set-Content -LiteralPath $file -NoNewline -Value ("# Performance`n`nHead text.`n`n## cub on CPU A: tables`n`nold A`n`n" +
            "## Notes by hand`n`nkept`n`n## cub on CPU B: tables`n`nB's`n")
    }

    It 'replaces a section with the same title in place and keeps the head and every other section' {
        Update-DocSections -Path $file -Section "## cub on CPU A: tables`n`nnew A`n"
        Get-Content -LiteralPath $file -Raw | Should -Be ("# Performance`n`nHead text.`n`n## cub on CPU A: tables`n`nnew A`n`n" +
            "## Notes by hand`n`nkept`n`n## cub on CPU B: tables`n`nB's`n")
    }

    It 'appends a section with a new title at the end' {
        Update-DocSections -Path $file -Section "## cub on CPU C: tables`n`nC's`n", "## cub on CPU A: tables`n`nnew A"
        $text = Get-Content -LiteralPath $file -Raw
        $text | Should -BeLike "*## cub on CPU A: tables`n`nnew A`n`n## Notes by hand*"
        $text | Should -BeLike "*## cub on CPU B: tables`n`nB's`n`n## cub on CPU C: tables`n`nC's`n"
        $text | Should -Not -BeLike '*old A*'
    }

    It 'starts a missing file with the given head, in a folder it makes' {
        $fresh = Join-Path $TestDrive 'new/performance.md'
        Update-DocSections -Path $fresh -Section "## E`n`ne`n" -NewFileHead "# Title`n`nWhat it measures.`n"
        Get-Content -LiteralPath $fresh -Raw | Should -Be "# Title`n`nWhat it measures.`n`n## E`n`ne`n"
    }
}
