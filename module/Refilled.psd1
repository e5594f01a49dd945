@{
    RootModule           = 'Refilled.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0d3c52-8a3e-4f5e-9d0b-2f7c1c4b9e41'
    Author               = 'Refilled contributors'
    CompanyName          = 'Refilled'
    Copyright            = '(c) 2026 Refilled contributors. MIT licence (the LICENSE file in the module folder).'
    Description          = 'REFILLED cross-task knowledge distillation (Ye, Lu, Zhan, CVPR 2020) on a TorchSharp (libtorch 2.10, CPU) engine. Linux x64 only: the package carries the linux-x64 natives of libtorch, and import fails on any other platform. Needs PowerShell 7.6 or later (.NET 10). See about_Refilled.'
    # The assemblies target net10.0: PowerShell 7.6 is the first release on .NET 10 (7.4 runs on .NET 8, 7.5 on .NET 9).
    PowerShellVersion    = '7.6'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('Refilled.Format.ps1xml')
    CmdletsToExport      = @(
        'Copy-RefilledModel'
        'Export-RefilledChart'
        'Export-RefilledModel'
        'Export-RefilledReport'
        'Export-RefilledSweep'
        'Get-RefilledDataset'
        'Get-RefilledEnvironment'
        'Get-RefilledRun'
        'Import-Student'
        'Import-Teacher'
        'Invoke-RefilledBaseline'
        'Invoke-RefilledExperiment'
        'Invoke-RefilledPretraining'
        'Invoke-RefilledStage1'
        'Invoke-RefilledStage2'
        'Measure-Student'
        'New-Student'
        'Save-RefilledDataset'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('MachineLearning', 'KnowledgeDistillation', 'TorchSharp', 'libtorch', 'PSEdition_Core', 'Linux')
            # The project has no public repository URL yet (none in README, LICENSE or the git remotes), so ProjectUri
            # and LicenseUri are left out rather than pointing somewhere else: the licence ships as LICENSE in the
            # module folder. ReleaseNotes are written into the built manifest from CHANGELOG.md by build.ps1.
        }
    }
}
