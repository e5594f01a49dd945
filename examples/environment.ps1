# Shows which libtorch the module runs on. Run from the repository root after building:
#   dotnet pwsh ./examples/environment.ps1
Import-Module (Join-Path $PSScriptRoot '../out/Refilled/Refilled.psd1')
Get-RefilledEnvironment | Format-List
