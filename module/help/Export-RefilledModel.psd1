@{
    Synopsis    = 'Saves a student or teacher to a Refilled checkpoint, atomically.'
    Description = @'
Writes the network's weights with a metadata sidecar (architecture, original class ids, embedding size, stage,
epochs, metrics, seed, module version). The file is written to a temporary name and renamed, so a crash never
leaves a half-written checkpoint. An existing file is only replaced with -Force; -WhatIf shows what would be written.
'@
    Parameters  = @{
        Model    = 'The student or teacher to save, by value from the pipeline.'
        Path     = 'The checkpoint file to write.'
        Force    = 'Replace an existing file.'
        PassThru = 'Write the model to the pipeline after saving it.'
    }
    Examples    = @(
        @{
            Code    = '$student | Export-RefilledModel ./student.refilled -Force'
            Remarks = 'Saves the student, replacing an earlier file.'
        }
        @{
            Code    = '$student | Export-RefilledModel ./student.refilled -WhatIf'
            Remarks = 'Shows what would be written without writing.'
        }
    )
    Links       = @('Import-Teacher', 'Import-Student', 'Copy-RefilledModel', 'about_Refilled')
}
