@{
    Synopsis    = 'Describes the libtorch engine that the Refilled module runs on.'
    Description = @'
Loads libtorch (if it is not loaded yet) and reports the module version, the TorchSharp and libtorch versions,
the backend the module was built for (cpu, or cuda with -p:TorchBackend=cuda), whether CUDA is usable, how many
CUDA devices there are, libtorch's intra-op thread count, and the path of the libtorch_cpu.so file that the
dynamic loader mapped. Use it first when a model does not load or runs slower than expected.
'@
    Parameters  = @{}
    Examples    = @(
        @{
            Code    = 'Get-RefilledEnvironment'
            Remarks = 'Shows the table view: module, TorchSharp and libtorch versions, backend, CUDA, threads and the native library path.'
        }
        @{
            Code    = '(Get-RefilledEnvironment).LibTorchVersion'
            Remarks = 'Returns only the libtorch version, for example 2.10.0.'
        }
    )
    Notes       = 'Threads is process-wide in libtorch; training cmdlets that take -Threads change it for the whole session.'
}
