# Dot-sourced by the scripts that write docs/performance.md (compare-peer.ps1, compare-end-to-end.ps1,
# precision-mnist.ps1): each owns some of its '## ' sections and rewrites only those.

<#
.SYNOPSIS
    Writes markdown sections into a file by title (each section's first line, '## <title>'): a section already there
    is replaced in place, a new one goes at the end; the head (before the first section) and every other section stay
    as they are. A missing file starts with -NewFileHead.
#>
function Update-DocSections([string] $Path, [string[]] $Section, [string] $NewFileHead = "# Performance`n") {
    $written = [ordered]@{}
    foreach ($text in $Section) { $written[($text -split "`n", 2)[0].Substring(3).Trim()] = $text.TrimEnd() + "`n" }
    $existing = if (Test-Path -LiteralPath $Path) { Get-Content -LiteralPath $Path -Raw } else { $NewFileHead }
    $parts = [regex]::Split($existing, '(?m)^(?=## )')
    $kept = foreach ($part in $parts | Select-Object -Skip 1) {
        $title = ($part -split "`n", 2)[0].Substring(3).Trim()
        if ($written.Contains($title)) { $written[$title]; $written.Remove($title) } else { $part.TrimEnd() + "`n" }
    }
    $folder = Split-Path $Path
    if ($folder) { New-Item -ItemType Directory -Force $folder | Out-Null }
    Set-Content -LiteralPath $Path -Value ((@($parts[0].TrimEnd() + "`n") + @($kept) + @($written.Values)) -join "`n") -NoNewline
}
