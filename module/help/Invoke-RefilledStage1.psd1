@{
    Synopsis    = 'REFILLED stage 1: trains a student''s embedding to match a teacher''s triplet relationships.'
    Description = @'
Stage 1 of REFILLED (Ye, Lu, Zhan, CVPR 2020). For every batch it mines the semi-hard triplets (a, p, n) in the
student's L2-normalised embedding (0 < d(a,n) - d(a,p) <= Margin) and makes the student's triplet similarity
probabilities sigma((d(a,n) - d(a,p)) / Tau) match the teacher's with a binary KL divergence (Variant Triplet, the
released default, scaled by 500 as in the released code so that published hyperparameters carry over), or, with
Variant Tuple, compares for each (anchor, positive) pair a softmax over the positive and all its semi-hard
negatives (scaled by 1000). The teacher may have been trained on entirely different classes: only its embedding is
used, in eval mode and without gradients.

Only the student's backbone is trained (the classifier is left for stage 2), with SGD (Nesterov momentum 0.9,
weight decay 5e-4) and a cosine schedule from LearningRate down to 0.1 x LearningRate. Batches without any
semi-hard triplet are skipped (no NaN ever reaches the optimiser) and counted in the history. Every
EvaluateEvery epochs the nearest-class-mean (NCM) accuracy is measured on -ValidationData with BatchNorm in eval
mode, and the best weights are kept and restored at the end.

The student is updated in place and written to the pipeline, with one History row per epoch. Progress shows per
epoch and batch with the loss and an ETA; -Verbose prints each epoch's metrics. Ctrl+C stops at the next batch,
restores the best weights so far, records the completed epochs in History (and the stage), warns which epoch's
weights the student holds, and leaves the -CheckpointPath file intact.

The data must have the student's classes (the same ids in the same order): a student of digits 5-9 on digits 0-4 is
refused with ClassMismatch (ClassCountMismatch when the number differs), naming both lists. The teacher's classes may
differ: that is cross-task distillation.
'@
    Parameters  = @{
        Student        = 'The student to train, usually from New-Student, by value from the pipeline.'
        Teacher        = 'The teacher whose embedding supplies the relationships (Import-Teacher or Invoke-RefilledPretraining). Binds by property name.'
        Data           = 'The student''s training data (Get-RefilledDataset). Its images must have the channel count both networks expect. Binds by property name.'
        ValidationData = 'Data for model selection: NCM accuracy is measured on it and the best epoch''s weights are kept. Never use the test split here.'
        Seed           = 'Seed for shuffling, augmentation and dropout, recorded as the student''s TrainingSeed; its Seed (the initialisation) is kept. The same seed and thread count give bit-identical CPU runs.'
        Threads        = 'libtorch intra-op threads for this run (process-wide). Default: leave the current setting.'
        Precision = 'Float32 (default) or BFloat16, mixed precision: the frozen teacher''s forward runs in bfloat16 (BatchNorm folded, channels-last) and the student''s convolutions run in bfloat16 on bfloat16 casts of its float32 weights (as PyTorch''s autocast), while the student''s weights, gradients and BatchNorm statistics, the losses, validation and saved checkpoints stay float32. BFloat16 is refused (PrecisionNotSupported, ResourceUnavailable) on a CPU without native bfloat16 arithmetic; Get-RefilledEnvironment shows BFloat16Supported. docs/performance.md has the speed and accuracy measured.'
        CheckpointPath = 'A file that always holds the best weights so far, written atomically. Until the run completes, its resumable state is kept beside it (<file>.state; two-stage FitNet''s hint phase: <file>.fitnethint.state): the state is saved after the first epoch and then at most every 10 s (each save is written through to the disk), and the same command run again after Ctrl+C continues from the last saved epoch, to the weights and History of a run that never stopped (give it the same parameters). -Force starts over instead. A finished run leaves no state: its file is refused without -Force and replaced with it.'
        Force          = 'Let -CheckpointPath replace an existing file; without it an existing file stops the cmdlet before training.'
        LogDirectory   = 'A folder for TensorBoard event files (TorchSharp''s SummaryWriter): per epoch the loss, its named terms, the learning rate and the validation score, over SGD steps. One folder is one TensorBoard run: give both stages the same folder.'
    }
    Examples    = @(
        @{
            Code    = @'
$teacher = Import-Teacher ./teacher.model -Architecture wrn-40-2
$train   = Get-RefilledDataset Cifar100 -Split Train -Classes 50..99 -ValidationFraction 0.1
$val     = Get-RefilledDataset Cifar100 -Split Validation -Classes 50..99 -ValidationFraction 0.1
$student = New-Student wrn-16-2 -Dataset $train | Invoke-RefilledStage1 -Teacher $teacher -Data $train -ValidationData $val -Epochs 200
'@
            Remarks = 'Stage 1 of the released CIFAR-100 protocol: a WRN-40-2 teacher from classes 0-49 guides a WRN-16-2 student on classes 50-99.'
        }
        @{
            Code    = @'
$student = New-Student smallcnn -Dataset $train |
    Invoke-RefilledStage1 -Teacher $teacher -Data $train -Epochs 5 -BatchSize 64 -LearningRate 0.05 -Variant Tuple -Verbose
$student.History | Format-Table
'@
            Remarks = 'A short run with the tuple variant; -Verbose prints each epoch and History keeps the rows.'
        }
    )
    Notes       = 'The stage-1 triplet loss equals 500 x the mean binary KL: the released code concatenates [P, 1-P] along the batch dimension before a batch-mean KL, halving the 1000 scale. Refilled reproduces that scale exactly.'
    Links       = @('Invoke-RefilledStage2', 'New-Student', 'Measure-Student', 'about_Refilled')
}
