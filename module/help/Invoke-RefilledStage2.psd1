@{
    Synopsis    = 'REFILLED stage 2: trains a student''s classifier with cross-entropy plus the teacher''s local-classifier KL.'
    Description = @'
Stage 2 of REFILLED. The teacher builds a "local classifier" from class centres in its own embedding: for each
batch, the logits of sample i for the classes present in the batch are <e_i, c_k> (e_i the teacher's raw
embedding, c_k a normalised class mean), and the student's logits on those classes are pulled towards them:
loss = CE + Lambda x KL(softmax(teacher / Tau) || softmax(student / Tau)). With -Centers Global (the default) the
centres are the class means over the whole training set, computed once per teacher and dataset in memory with the
teacher in eval mode and without augmentation; GlobalAugmented computes them from one augmented pass (random shift
and flip; RandomResizedCrop on CUB), as the released code does by reading its training loader; with Local they come
from each batch (the CVPR paper's wording).

The whole student is trained with SGD (Nesterov 0.9, weight decay 5e-4) and a multi-step schedule (by default at
50%, 70% and 90% of the epochs, i.e. 100/140/180 of 200, times Gamma 0.2). Classification accuracy on
-ValidationData selects the best epoch; ties in accuracy (common with 10 validation images per class) go to the lower validation cross-entropy, then to the earlier epoch. The student's ValidationMetric, ValidationCrossEntropy
and Lambda record the choice, so that Select-RefilledStudent can pick among students trained with several lambdas by
the same rule. The student is updated in place and written to the pipeline.

Choose Lambda on validation data: the released default 100 can let nearly flat teacher soft labels overpower the
cross-entropy on easy data (MNIST digits), while 1 helps there.
'@
    Parameters  = @{
        Student        = 'The student to train (after stage 1), by value from the pipeline. It needs one output per class of -Data.'
        Teacher        = 'The teacher that supplies the embedding for the class centres. Binds by property name.'
        Data           = 'The student''s training data. Binds by property name.'
        ValidationData = 'Data for model selection by classification accuracy; never the test split.'
        Seed           = 'Seed for shuffling, augmentation and dropout, recorded as the student''s TrainingSeed; its Seed (the initialisation) is kept.'
        Threads        = 'libtorch intra-op threads for this run (process-wide).'
        Precision = 'Float32 (default) or BFloat16, mixed precision: the frozen teacher''s forward runs in bfloat16 (BatchNorm folded, channels-last) and the student''s convolutions run in bfloat16 on bfloat16 casts of its float32 weights (as PyTorch''s autocast), while the student''s weights, gradients and BatchNorm statistics, the losses, validation and saved checkpoints stay float32. BFloat16 is refused (PrecisionNotSupported, ResourceUnavailable) on a CPU without native bfloat16 arithmetic; Get-RefilledEnvironment shows BFloat16Supported. docs/performance.md has the speed and accuracy measured.'
        CheckpointPath = 'A file that always holds the best weights so far, written atomically. Until the run completes, its resumable state is kept beside it (<file>.state; two-stage FitNet''s hint phase: <file>.fitnethint.state): the state is saved after the first epoch and then at most every 10 s (each save is written through to the disk), and the same command run again after Ctrl+C continues from the last saved epoch, to the weights and History of a run that never stopped (give it the same parameters). -Force starts over instead. A finished run leaves no state: its file is refused without -Force and replaced with it.'
        LogDirectory   = 'A folder for TensorBoard event files (TorchSharp''s SummaryWriter): per epoch the loss, its named terms, the learning rate and the validation score, over SGD steps. One folder is one TensorBoard run: give both stages the same folder.'
        Force          = 'Let -CheckpointPath replace an existing file; without it an existing file stops the cmdlet before training.'
    }
    Examples    = @(
        @{
            Code    = @'
New-Student wrn-16-2 -Dataset $train |
    Invoke-RefilledStage1 -Teacher $teacher -Data $train -ValidationData $val |
    Invoke-RefilledStage2 -Teacher $teacher -Data $train -ValidationData $val -Lambda 1 |
    Measure-Student -Data $test
'@
            Remarks = 'The full REFILLED pipeline: stage 1, stage 2 with lambda 1, then the test accuracy.'
        }
    )
    Notes       = 'The KL term is a batch mean without a tau^2 factor, exactly as the released code.'
    Links       = @('Invoke-RefilledStage1', 'Invoke-RefilledBaseline', 'Measure-Student', 'about_Refilled')
}
