@{
    Synopsis    = 'Trains a student by a baseline method: from scratch (cross-entropy) or Hinton knowledge distillation.'
    Description = @'
The baselines REFILLED is compared against. Scratch trains with cross-entropy only. KnowledgeDistillation adds
Hinton et al.'s soft targets: loss = (1 - Alpha) x CE + Alpha x T^2 x KL(softmax(teacher / T) || softmax(student / T)).
KD needs a teacher trained on exactly the student's classes; for a teacher from other classes it stops with an
error and points to REFILLED. SGD (Nesterov 0.9, weight decay 5e-4) with a multi-step schedule; the best epoch by
validation accuracy is kept.
'@
    Parameters  = @{
        Method         = 'Scratch or KnowledgeDistillation.'
        Student        = 'The student to train, by value from the pipeline.'
        Teacher        = 'For KnowledgeDistillation: a teacher with the student''s classes. Binds by property name.'
        Data           = 'The training data. Binds by property name.'
        ValidationData = 'Data for model selection by classification accuracy; never the test split.'
        Epochs         = 'Number of epochs. Default 200.'
        LearningRate   = 'Initial SGD learning rate. Default 0.1.'
        BatchSize      = 'Images per batch. Default 128.'
        Seed           = 'Seed for shuffling, augmentation and dropout.'
        Threads        = 'libtorch intra-op threads for this run (process-wide).'
        Precision = 'The frozen teacher''s forward precision: Float32 (default) or BFloat16, which runs the teacher''s forward in bfloat16 (BatchNorm folded, channels-last) and hands its outputs back in float32; the student, its gradients, the losses and validation stay float32. BFloat16 is refused (PrecisionNotSupported, ResourceUnavailable) on a CPU without native bfloat16 arithmetic; Get-RefilledEnvironment shows BFloat16Supported. Stages without a teacher train as in Float32. docs/performance.md has the speed and accuracy measured.'
        CheckpointPath = 'A file that always holds the best weights so far, written atomically.'
        Momentum       = 'SGD momentum. Default 0.9 (the released code).'
        WeightDecay    = 'SGD weight decay (L2). Default 5e-4 (the released code).'
        Nesterov       = 'Use Nesterov momentum. Default $true (the released code); -Nesterov:$false for plain momentum.'
        DropLast       = 'Drop the last partial batch of each epoch. Off by default, as the released code (drop_last=False): with K-shot data the partial batch can be half the steps. A last batch of a single image is always dropped (BatchNorm cannot train on it).'
        LogDirectory   = 'A folder for TensorBoard event files (TorchSharp''s SummaryWriter): per epoch the loss, its named terms, the learning rate and the validation score, over SGD steps. One folder is one TensorBoard run: give both stages the same folder.'
        EvaluateEvery  = 'Measure validation accuracy every N epochs (and after the last). Default 1.'
        Temperature    = 'KD temperature T. Default 4.'
        Alpha          = 'KD weight of the soft-target term. Default 0.9.'
        Milestones     = 'Epochs at which the learning rate is multiplied by Gamma. Default: 50%, 70% and 90% of -Epochs.'
        Gamma          = 'Learning-rate factor at each milestone. Default 0.2.'
    }
    Examples    = @(
        @{
            Code    = 'New-Student smallcnn -Dataset $train | Invoke-RefilledBaseline Scratch -Data $train -ValidationData $val -Epochs 20 | Measure-Student -Data $test'
            Remarks = 'The from-scratch baseline that REFILLED should beat.'
        }
    )
}
