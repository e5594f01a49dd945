@{
    Synopsis    = 'Loads a teacher network from a Refilled checkpoint or a PyTorch file.'
    Description = @'
Reads a Refilled checkpoint (which records its architecture and classes), or a PyTorch checkpoint of the released
REFILLED code: the .model format (a dict with state_dict, validating_accuracy and epoch), a bare state_dict .pt
file, or .safetensors. Keys saved from DataParallel (module. prefix) are accepted. PyTorch files do not record their
architecture: name it with -Architecture, and the shapes are checked against it (a mismatch names the key and both
shapes). PyTorch pickles are read by a restricted unpickler that refuses anything but tensor data, so a file can
never run code.

The weights are loaded on the CPU and then moved to -Device. Checkpoints do not depend on a device: a teacher saved
on a GPU loads on a CPU and the other way round. A training stage brings the teacher to its student's device
(moving it, not refusing), so a teacher imported on the CPU can guide a student on cuda.
'@
    Parameters  = @{
        Path         = 'The checkpoint file. Accepts pipeline input and FullName from Get-ChildItem.'
        Architecture = 'The network spec of a PyTorch file (wrn-40-2, resnet-110, mobilenet-0.5, ...). Optional for Refilled checkpoints, where it is checked.'
        Classes      = 'The original label ids behind the teacher''s outputs. Default: those recorded in a Refilled checkpoint, else 0..n-1.'
        Device       = 'Where the teacher is placed: cpu (default), cuda or cuda:N. Checked before anything is built or read: cuda on a CPU-only build, or a GPU number that does not exist, is a ResourceUnavailable error that says how to build for CUDA (dotnet pwsh ./build.ps1 -TorchBackend cuda).'
    }
    Examples    = @(
        @{
            Code    = '$teacher = Import-Teacher ./wrn-40-2.model -Architecture wrn-40-2 -Classes (0..49)'
            Remarks = 'A teacher from the released code, trained on CIFAR-100 classes 0-49.'
        }
        @{
            Code    = '$teacher = Import-Teacher ./teacher-0-4.refilled'
            Remarks = 'A teacher saved by Export-RefilledModel.'
        }
        @{
            Code    = '$teacher = Import-Teacher ./teacher-0-4.refilled -Device cuda'
            Remarks = 'The same teacher on the first GPU (a CUDA build of the module).'
        }
    )
    Links       = @('Invoke-RefilledPretraining', 'Export-RefilledModel', 'Invoke-RefilledStage1', 'about_Refilled')
}
