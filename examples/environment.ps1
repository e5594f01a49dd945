# Shows which libtorch the module runs on. Needs a clone of the repository: run from its root after building,
#   dotnet pwsh ./examples/environment.ps1
# (with an installed module: pwsh -c 'Import-Module Refilled; Get-RefilledEnvironment | Format-List').
Import-Module (Join-Path $PSScriptRoot '../out/Refilled/Refilled.psd1')
Get-RefilledEnvironment | Format-List
