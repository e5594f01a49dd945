# The report of a small generated sweep as a reader sees it: rendered by headless Chromium (Debian's chromium, installed
# by tests/tools/install-chromium.sh when running as root) and checked against the layout the report writes beside
# each picture (plot area, legend box, value-axis range as data attributes).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    & bash (Join-Path $PSScriptRoot '../tools/install-chromium.sh')
    if ($LASTEXITCODE -ne 0) { throw 'The screenshot test needs chromium: run tests/tools/install-chromium.sh as root.' }
    $script:root = Join-Path ([IO.Path]::GetTempPath()) "refilled-report-$([guid]::NewGuid().ToString('N'))"
    New-TinyMnist (Join-Path $root 'tiny-mnist') -Classes 4 | Out-Null
    # REFILLED against Scratch on two seeds at equal budgets (2 + 2 epochs against 4): the smallest sweep with a paired comparison.
    $file = New-TinyExperimentFile $root 'tiny-report' -Test -Baseline '{ method: scratch, epochs: 4, lr: 0.05, batch: 16 }' `
        -Seeds 'seeds: [0, 1]' -Rest "sweep:`n  method: [refilled, scratch]"
    Invoke-RefilledExperiment $file -OutputPath (Join-Path $root 'runs') | Out-Null
    $script:files = @(Export-RefilledReport (Join-Path $root 'runs/tiny-report') -OutputPath (Join-Path $root 'report') -PerRunCurves)
    $script:report = ($files | Where-Object Name -eq 'report.html').FullName
    $script:html = Get-Content $report -Raw
    # One entry per picture: its id and the layout attributes the report wrote.
    $script:figures = foreach ($m in [regex]::Matches($html, '<figure id="(?<id>[^"]+)"><img (?<attributes>[^>]*)>')) {
        $attributes = @{}
        foreach ($a in [regex]::Matches($m.Groups['attributes'].Value, '(?<name>[\w-]+)="(?<value>[^"]*)"')) { $attributes[$a.Groups['name'].Value] = $a.Groups['value'].Value }
        [pscustomobject]@{ Id = $m.Groups['id'].Value; Attributes = $attributes }
    }
    function script:ConvertTo-Box([string] $Text) {
        $l, $t, $r, $b = $Text -split ' ' | ForEach-Object { [double]::Parse($_, [cultureinfo]::InvariantCulture) }
        [pscustomobject]@{ Left = $l; Top = $t; Right = $r; Bottom = $b }
    }
    function script:Test-Overlap($A, $B) { $A.Left -lt $B.Right -and $B.Left -lt $A.Right -and $A.Top -lt $B.Bottom -and $B.Top -lt $A.Bottom }
}

AfterAll {
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The report of a small sweep' {
    It 'opens with the paired comparison to Scratch and tabulates n, mean difference, interval and verdict' {
        $figures[0].Id | Should -Be 'paired'
        $figures.Id | Should -Be @('paired', 'accuracy', 'curves', 'losses')
        $html | Should -Match '<h2>Paired difference to Scratch \(test accuracy, points\)</h2>'
        $html | Should -Match '<tr><td>Refilled</td><td>all</td><td>2</td><td>[+−]?\d+\.\d\d</td><td>\[[+−]?\d+\.\d\d, [+−]?\d+\.\d\d\]</td><td>(ahead|behind|no clear difference)</td></tr>'
    }

    It 'keeps every legend box off the plot area' {
        $legends = @($figures | Where-Object { $_.Attributes['data-legend'] })
        $legends.Id | Should -Contain 'curves' -Because 'the curves of two settings have a legend to check'
        foreach ($f in $legends) {
            $plot = ConvertTo-Box $f.Attributes['data-plot-area']
            $legend = ConvertTo-Box $f.Attributes['data-legend']
            Test-Overlap $plot $legend | Should -BeFalse -Because "$($f.Id): legend $($f.Attributes['data-legend']) against plot area $($f.Attributes['data-plot-area'])"
            $legend.Right | Should -BeLessOrEqual ([double]$f.Attributes['width']) -Because "$($f.Id)'s legend must fit in the picture"
        }
    }

    It 'draws accuracies on an axis within [0, 1] and states the range' {
        $accuracy = @($figures | Where-Object { $_.Attributes['data-value-axis-label'] -match 'accuracy \(fraction' })
        $accuracy.Id | Should -Be @('accuracy', 'curves')
        foreach ($f in $accuracy) {
            $min, $max = $f.Attributes['data-value-axis'] -split ' ' | ForEach-Object { [double]::Parse($_, [cultureinfo]::InvariantCulture) }
            $min | Should -BeGreaterOrEqual 0 -Because $f.Id
            $max | Should -BeLessOrEqual 1 -Because $f.Id
            $max | Should -BeGreaterThan $min
        }
        $html | Should -Match 'The axis runs from \d\.\d{3} to \d\.\d{3}, fitted to the data, not from 0\.'
    }

    It 'renders in headless Chromium to a screenshot of the expected size' {
        $shot = Join-Path $root 'report.png'
        $chromiumProfile = Join-Path $root 'chromium-profile'
        & timeout 180 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "--user-data-dir=$chromiumProfile" `
            --window-size=1280,1800 "--screenshot=$shot" "file://$report" 2>&1 | Out-Null
        $shot | Should -Exist
        $bytes = [IO.File]::ReadAllBytes($shot)
        [BitConverter]::ToString($bytes, 0, 8) | Should -Be '89-50-4E-47-0D-0A-1A-0A'
        # IHDR: width and height, big-endian, at bytes 16 and 20.
        $size = foreach ($offset in 16, 20) { [BitConverter]::ToInt32([byte[]]$bytes[($offset + 3)..$offset], 0) }
        $size | Should -Be @(1280, 1800)
        # A blank page of that size compresses to a few kB; charts and tables do not.
        $bytes.Length | Should -BeGreaterThan 40000
    }
}
