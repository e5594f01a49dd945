# Dot-sourced by every test file: imports the freshly built module (build.ps1 sets REFILLED_MODULE_PATH).
if (-not $env:REFILLED_MODULE_PATH) {
    $env:REFILLED_MODULE_PATH = Join-Path $PSScriptRoot '../../out/Refilled/Refilled.psd1'
}
Import-Module $env:REFILLED_MODULE_PATH -Force
