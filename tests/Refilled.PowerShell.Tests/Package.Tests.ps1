# The package as a user gets it: published to a local file repository, installed with Install-PSResource into the
# CurrentUser scope of a temporary home, and imported by name in a clean pwsh that can see no other Refilled. Uses the
# package of the Test task ($env:REFILLED_PACKAGE_PATH) or packs the module under test once.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSetup.ps1')
    $script:root = Join-Path ([IO.Path]::GetTempPath()) "refilled-package-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $root | Out-Null
    $script:package = $env:REFILLED_PACKAGE_PATH
    if (-not $package) {
        Compress-PSResource -Path (Split-Path $env:REFILLED_MODULE_PATH) -DestinationPath $root
        $script:package = (Get-ChildItem $root -Filter '*.nupkg').FullName
    }
    $script:mnist = New-TinyMnist (Join-Path $root 'tiny-mnist') -Classes 4
    $script:home_ = Join-Path $root 'home'
    $script:userModules = Join-Path $home_ '.local/share/powershell/Modules'
    # .NET maps a data folder that does not exist to '', and PSResourceGet would then keep its settings in the current one.
    New-Item -ItemType Directory (Join-Path $home_ '.local/share'), (Join-Path $home_ '.config') | Out-Null
    $script:changelog = Join-Path $PSScriptRoot '../../CHANGELOG.md'
    $script:experiment = Join-Path $root 'installed.yaml'
    $script:runs = Join-Path $root 'runs'
    @'
name: installed
data: { path: ./tiny-mnist, classes: [2, 3], validation_fraction: 0.25 }
teacher: { file: ./teacher.refilled }
student: { architecture: smallcnn-16 }
stages:
  stage1: { epochs: 1, lr: 0.05, batch: 16 }
seed: 3
threads: 2
resources: { cpus: 1, mem: 1G, time: '00:10:00' }
'@ | Set-Content $experiment

    # Runs a script in a new pwsh whose home (and so its PSResourceGet settings and CurrentUser scope) is the temporary
    # one and whose module path holds only that scope and pwsh's own modules. The script writes JSON to $Result.
    function script:Invoke-CleanPwsh([string] $Script) {
        $file = Join-Path $root "child-$([guid]::NewGuid().ToString('N')).ps1"
        $result = "$file.json"
        "param([string] `$Result)`n`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'`n$Script" | Set-Content $file
        $saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; XDG_CONFIG_HOME = $env:XDG_CONFIG_HOME; PSModulePath = $env:PSModulePath }
        try {
            $env:HOME = $home_
            $env:XDG_DATA_HOME = Join-Path $home_ '.local/share'
            $env:XDG_CONFIG_HOME = Join-Path $home_ '.config'
            $env:PSModulePath = $userModules, (Join-Path $PSHOME 'Modules') -join [IO.Path]::PathSeparator
            $output = & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $file -Result $result 2>&1
            if ($LASTEXITCODE -ne 0) { throw "The child pwsh failed (exit $LASTEXITCODE):`n$($output -join "`n")" }
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
        Get-Content $result -Raw | ConvertFrom-Json
    }

    $repository = New-Item -ItemType Directory (Join-Path $root 'repository')
    $script:installed = Invoke-CleanPwsh @"
Register-PSResourceRepository -Name RefilledTest -Uri '$repository' -Trusted
Publish-PSResource -NupkgPath '$package' -Repository RefilledTest
Install-PSResource Refilled -Repository RefilledTest -Scope CurrentUser
Get-InstalledPSResource Refilled -Scope CurrentUser | Select-Object Name, @{ Name = 'Version'; Expression = { "`$(`$_.Version)" } }, InstalledLocation | ConvertTo-Json | Set-Content `$Result
"@
    $script:fromInstalled = Invoke-CleanPwsh @"
Set-Location '$root'
Import-Module Refilled
`$common = @{ Path = '$mnist'; Seed = 3 }
`$fast = @{ Epochs = 1; BatchSize = 16; LearningRate = 0.05; Threads = 2 }
`$train = Get-RefilledDataset Mnist @common -Split Train -Classes 2, 3
`$teacher = Invoke-RefilledPretraining smallcnn -Data (Get-RefilledDataset Mnist @common -Split Train -Classes 0, 1) @fast
`$teacher | Export-RefilledModel '$(Join-Path $root 'teacher.refilled')'
`$m = New-Student smallcnn -Dataset `$train -Seed 1 |
    Invoke-RefilledStage1 -Teacher `$teacher -Data `$train @fast -Seed 1 |
    Measure-Student -Data (Get-RefilledDataset Mnist @common -Split Test -Classes 2, 3) -Reference `$train
@{
    ModuleBase = (Get-Module Refilled).ModuleBase
    Loaded     = @(Get-Module Refilled).Count
    Samples    = `$m.Samples
    Ncm        = `$m.NcmAccuracy
    About      = Get-Help about_Refilled | Out-String
    Links      = (Get-Help Invoke-RefilledStage1).relatedLinks | Out-String
    Sweep      = (Export-RefilledSweep '$experiment' -Format SlurmArray -RunOutputPath '$runs').FullName
} | ConvertTo-Json | Set-Content `$Result
"@
}

AfterAll {
    Remove-Item $root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The module package' {
    It 'is under nuget.org''s 250 MB, without .pdb files, with the help, the licence and the manifest' {
        $size = (Get-Item $package).Length
        Write-Host "Package: $([Math]::Round($size / 1MB, 1)) MB."
        $size | Should -BeLessThan 250MB
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [IO.Compression.ZipFile]::OpenRead($package)
        try { $entries = @($zip.Entries.FullName) } finally { $zip.Dispose() }
        $entries | Where-Object { $_ -like '*.pdb' } | Should -BeNullOrEmpty
        $entries | Should -Contain 'Refilled.psd1'
        $entries | Should -Contain 'LICENSE'
        $entries | Should -Contain 'en-US/about_Refilled.help.txt'
        $entries | Should -Contain 'en-US/Refilled.PowerShell.dll-Help.xml'
        $entries | Should -Contain 'libtorch_cpu.so'
    }

    It 'installs with Install-PSResource from a local repository into the CurrentUser scope' {
        $installed.Name | Should -Be 'Refilled'
        $installed.Version | Should -Be (Import-PowerShellDataFile $env:REFILLED_MODULE_PATH).ModuleVersion
        $installed.InstalledLocation | Should -BeLike "$userModules*"
    }

    It 'has a manifest that states the PowerShell it runs on, the platform and this version''s changelog entry' {
        $manifest = Import-PowerShellDataFile (Join-Path $userModules "Refilled/$($installed.Version)/Refilled.psd1")
        $manifest.PowerShellVersion | Should -Be '7.6'
        $manifest.CompatiblePSEditions | Should -Be @('Core')
        $manifest.Description | Should -Match 'Linux x64 only'
        $manifest.PrivateData.PSData.Tags | Should -Contain 'PSEdition_Core'
        $manifest.PrivateData.PSData.Tags | Should -Contain 'Linux'
        $notes = $manifest.PrivateData.PSData.ReleaseNotes
        $notes | Should -Match "^## \[$([regex]::Escape($manifest.ModuleVersion))\]"
        (Get-Content $changelog -Raw).Replace("`r`n", "`n").Contains($notes.Trim()) | Should -BeTrue -Because 'the notes are the version''s CHANGELOG.md entry'
    }

    It 'imports by name in a clean pwsh from the installed copy, runs New-Student, stage 1 and Measure-Student, and shows about_Refilled' {
        $r = $fromInstalled
        $r.Loaded | Should -Be 1
        $r.ModuleBase | Should -BeLike "$userModules/Refilled/*"
        $r.Samples | Should -Be 16
        $r.Ncm | Should -BeGreaterOrEqual 0
        $r.Ncm | Should -BeLessOrEqual 1
        $r.About | Should -Match 'THE TWO STAGES'
        $r.About | Should -Match 'EXPERIMENT FILES'
        $r.About | Should -Match 'DEVICES'
        $r.Links | Should -Match 'Invoke-RefilledStage2'
        $r.Links | Should -Match 'about_Refilled'
    }

    It 'exports a Slurm sweep whose task starts pwsh, imports the installed module by its path and completes its run' {
        $text = Get-Content $fromInstalled.Sweep -Raw
        $text | Should -Match "(?m)^cd '$([regex]::Escape($root))'$"
        $text | Should -Match '(?m)^pwsh -NoProfile '
        $text | Should -Match "(?m)^export REFILLED_MODULE='$([regex]::Escape($fromInstalled.ModuleBase))/Refilled.psd1'$"
        # The task as Slurm would start it, outside Slurm: array index 0, with a pwsh on the PATH as on a node.
        $bin = New-Item -ItemType Directory (Join-Path $root 'bin')
        "#!/bin/sh`nexec '$([Environment]::ProcessPath)' '$(Join-Path $PSHOME 'pwsh.dll')' `"`$@`"" | Set-Content (Join-Path $bin 'pwsh')
        chmod +x (Join-Path $bin 'pwsh')
        $savedPath = $env:PATH
        try {
            $env:PATH = "$bin$([IO.Path]::PathSeparator)$env:PATH"
            $env:SLURM_ARRAY_TASK_ID = '0'
            $output = & bash $fromInstalled.Sweep 2>&1
        }
        finally { $env:PATH = $savedPath; Remove-Item env:SLURM_ARRAY_TASK_ID }
        $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        (Get-RefilledRun $experiment -OutputPath $runs).Status | Should -Be 'Completed'
    }
}
