@{
    Synopsis    = 'Trains a teacher network with cross-entropy on its own classes.'
    Description = @'
Creates a network of the given architecture and trains it on -Data with cross-entropy: SGD with Nesterov momentum
0.9 and weight decay 5e-4, and a multi-step schedule (the released 100/140/180 of 200 epochs, times 0.2, scaled
to -Epochs). The best epoch by -ValidationData accuracy is kept (ties in accuracy (common with 10 validation images per class) go to the lower validation cross-entropy, then to the earlier epoch). The result is a Teacher whose classes are the
data's original label ids; save it with Export-RefilledModel or pass -CheckpointPath.
'@
    Parameters  = @{
        Architecture   = 'The network spec: wrn-40-2, wrn-16-1, resnet-110, mobilenet-0.5, smallcnn, ... Tab completion lists the common ones.'
        Data           = 'The teacher''s training data. Binds by property name.'
        ValidationData = 'Data for model selection by classification accuracy.'
        Seed           = 'Seed for the initial weights, shuffling, augmentation and dropout.'
        Threads        = 'libtorch intra-op threads for this run (process-wide).'
        Precision = 'Float32 (default) or BFloat16, mixed precision: the frozen teacher''s forward runs in bfloat16 (BatchNorm folded, channels-last) and the student''s convolutions run in bfloat16 on bfloat16 casts of its float32 weights (as PyTorch''s autocast), while the student''s weights, gradients and BatchNorm statistics, the losses, validation and saved checkpoints stay float32. BFloat16 is refused (PrecisionNotSupported, ResourceUnavailable) on a CPU without native bfloat16 arithmetic; Get-RefilledEnvironment shows BFloat16Supported. docs/performance.md has the speed and accuracy measured.'
        Device = 'Where the new teacher is created and trained: cpu (default), cuda (the first GPU) or cuda:N. The weights are initialised on the CPU and then moved, so a seed gives the same teacher on every device. cuda on a CPU-only build is a ResourceUnavailable error that says how to build for CUDA (dotnet pwsh ./build.ps1 -TorchBackend cuda).'
        CheckpointPath = 'A file that always holds the best weights so far, written atomically. Until the run completes, its resumable state is kept beside it (<file>.state; two-stage FitNet''s hint phase: <file>.fitnethint.state): the state is saved after the first epoch and then at most every 10 s (each save is written through to the disk), and the same command run again after Ctrl+C continues from the last saved epoch, to the weights and History of a run that never stopped (give it the same parameters). -Force starts over instead. A finished run leaves no state: its file is refused without -Force and replaced with it.'
        LogDirectory   = 'A folder for TensorBoard event files (TorchSharp''s SummaryWriter): per epoch the loss, its named terms, the learning rate and the validation score, over SGD steps. One folder is one TensorBoard run: give both stages the same folder.'
        Force          = 'Let -CheckpointPath replace an existing file; without it an existing file stops the cmdlet before training.'
    }
    Examples    = @(
        @{
            Code    = @'
$digits04 = Get-RefilledDataset Mnist -Split Train -Classes 0..4
$teacher = Invoke-RefilledPretraining smallcnn -Data $digits04 -Epochs 3 -LearningRate 0.05 -BatchSize 64
$teacher | Export-RefilledModel ./teacher-0-4.refilled
'@
            Remarks = 'Pretrains a small teacher on digits 0-4 and saves it.'
        }
    )
    Links       = @('Import-Teacher', 'Invoke-RefilledStage1', 'Get-RefilledDataset', 'about_Refilled')
}
