@{
    Synopsis    = 'Describes the libtorch engine that the Refilled module runs on.'
    Description = @'
Loads libtorch (if it is not loaded yet) and reports the module version, the TorchSharp and libtorch versions,
the backend the module was built for (cpu, or cuda with build.ps1 -TorchBackend cuda), whether CUDA is usable, how
many CUDA devices there are, the devices -Device accepts in this session (Devices: cpu, then cuda:0, cuda:1, ...),
libtorch's intra-op thread count, and the path of the libtorch_cpu.so file that the dynamic loader mapped. Use it first when a model does not load or runs slower than expected.
'@
    Parameters  = @{}
    Examples    = @(
        @{
            Code    = 'Get-RefilledEnvironment'
            Remarks = 'Shows the table view: module, TorchSharp and libtorch versions, backend, CUDA, devices, threads and the native library path.'
        }
        @{
            Code    = '(Get-RefilledEnvironment).LibTorchVersion'
            Remarks = 'Returns only the libtorch version, for example 2.10.0.'
        }
        @{
            Code    = '(Get-RefilledEnvironment).Devices'
            Remarks = 'The devices New-Student, Import-Teacher and Import-Student can place a model on: cpu here, plus cuda:0... on a CUDA build with GPUs.'
        }
    )
    Notes       = 'Threads is process-wide in libtorch; training cmdlets that take -Threads change it for the whole session.'
    Links       = @('New-Student', 'Import-Teacher', 'about_Refilled')
}
