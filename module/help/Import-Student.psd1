@{
    Synopsis    = 'Loads a student network from a Refilled checkpoint.'
    Description = @'
Reads a checkpoint written by Export-RefilledModel or -CheckpointPath, with its architecture, classes, stage and
seed, validating the architecture and every tensor shape. The weights are loaded on the CPU and then moved to
-Device: a student trained on a GPU can be measured or trained further on a CPU, and the other way round.
'@
    Parameters  = @{
        Path   = 'The checkpoint file. Accepts pipeline input and FullName from Get-ChildItem.'
        Device = 'Where the student is placed: cpu (default), cuda or cuda:N. Training and measuring then run there. Checked before anything is built or read: cuda on a CPU-only build, or a GPU number that does not exist, is a ResourceUnavailable error that says how to build for CUDA (dotnet pwsh ./build.ps1 -TorchBackend cuda).'
    }
    Examples    = @(
        @{
            Code    = 'Import-Student ./student.refilled | Measure-Student -Data $test'
            Remarks = 'Measures a saved student on test data.'
        }
        @{
            Code    = 'Import-Student ./student.refilled -Device cuda | Measure-Student -Data $test'
            Remarks = 'Measures it on the first GPU (a CUDA build of the module).'
        }
    )
    Links       = @('Export-RefilledModel', 'Import-Teacher', 'Measure-Student', 'about_Refilled')
}
