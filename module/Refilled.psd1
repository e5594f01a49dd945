@{
    RootModule           = 'Refilled.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f0d3c52-8a3e-4f5e-9d0b-2f7c1c4b9e41'
    Author               = 'Refilled contributors'
    CompanyName          = 'Refilled'
    Copyright            = '(c) Refilled contributors. MIT licence.'
    Description          = 'REFILLED cross-task knowledge distillation (Ye, Lu, Zhan, CVPR 2020) on a TorchSharp (libtorch) engine.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('Refilled.Format.ps1xml')
    CmdletsToExport      = @(
        'Compare-RefilledResult'
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
        'Select-RefilledStudent'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('MachineLearning', 'KnowledgeDistillation', 'TorchSharp', 'libtorch')
            LicenseUri = 'https://opensource.org/licenses/MIT'
        }
    }
}
