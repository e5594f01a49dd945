@{
    Synopsis    = 'Loads a student network from a Refilled checkpoint.'
    Description = 'Reads a checkpoint written by Export-RefilledModel or -CheckpointPath, with its architecture, classes, stage and seed, validating the architecture and every tensor shape.'
    Parameters  = @{
        Path = 'The checkpoint file. Accepts pipeline input and FullName from Get-ChildItem.'
    }
    Examples    = @(
        @{
            Code    = 'Import-Student ./student.refilled | Measure-Student -Data $test'
            Remarks = 'Measures a saved student on test data.'
        }
    )
}
