@{
    Synopsis    = 'Creates a freshly initialised student network.'
    Description = @'
Builds a network from an architecture spec with one output per class, initialised reproducibly from -Seed. With
-Dataset the student takes the dataset's classes (their original label ids are kept, so that its outputs keep
their meaning in checkpoints and measurements); with -Classes it gets that many classes labelled 0..n-1.

-Device places the student: the training cmdlets and Measure-Student run on the student's device, move every
batch there, and bring the teacher to the same device (the teacher is moved, not copied; its Device property then
shows where it is). The weights are initialised on the CPU and then moved, so a seed gives the same student on
every device.
'@
    Parameters  = @{
        Architecture = 'The network spec: wrn-16-1, wrn-16-2, wrn-40-2, resnet-20, resnet-110, mobilenet-0.5, smallcnn, ... An unknown spec lists the valid forms.'
        Classes      = 'The number of classes, for a student not tied to a dataset.'
        Dataset      = 'The dataset whose classes the student learns. Binds by property name (Data or Dataset).'
        Seed         = 'Seed for the initial weights. Default 0.'
        Device       = 'Where the student lives and trains: cpu (default), cuda (the first GPU) or cuda:N. Checked before anything is built or read: cuda on a CPU-only build, or a GPU number that does not exist, is a ResourceUnavailable error that says how to build for CUDA (dotnet pwsh ./build.ps1 -TorchBackend cuda).'
    }
    Examples    = @(
        @{
            Code    = 'New-Student wrn-16-2 -Dataset $train'
            Remarks = 'A WRN-16-2 student for the classes of $train.'
        }
        @{
            Code    = 'New-Student smallcnn -Classes 5 -Seed 1'
            Remarks = 'A small CNN for 28x28 grayscale images with five classes.'
        }
        @{
            Code    = 'New-Student wrn-16-2 -Dataset $train -Device cuda:1'
            Remarks = 'A student on the second GPU (a CUDA build of the module on a GPU machine); the stages that train it run there.'
        }
    )
    Links       = @('Invoke-RefilledStage1', 'Import-Student', 'Get-RefilledDataset', 'about_Refilled')
}
