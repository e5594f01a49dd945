@{
    Synopsis    = 'Trains a student by a baseline method: scratch, Hinton KD, fine-tuning, teacher NCM, FitNet, attention transfer, RKD or CRD.'
    Description = @'
The methods REFILLED is compared against, each with its published defaults. All but TeacherNcm train with SGD
(Nesterov 0.9, weight decay 5e-4) on a multi-step schedule and keep the best epoch by validation accuracy (ties in accuracy (common with 10 validation images per class) go to the lower validation cross-entropy, then to the earlier epoch); compare
methods at equal budgets (the same epochs, batch and data give the same SGD steps).

- Scratch: cross-entropy only, no teacher.
- KnowledgeDistillation (Hinton, Vinyals & Dean 2015, "Distilling the Knowledge in a Neural Network"):
  (1 - Alpha) x CE + Alpha x T^2 x KL(softmax(teacher / T) || softmax(student / T)). Needs a teacher trained on
  exactly the student's classes; for a teacher from other classes it stops with an error and points to REFILLED.
- FineTune: the teacher's network with a new classifier for the student's classes, all fine-tuned with
  cross-entropy. The requested student's architecture is replaced by the teacher's (-Verbose says so); the cmdlet
  outputs this new student.
- TeacherNcm: no training. The teacher's embedding classifies by nearest class mean over -Data (the released
  Test.py's NCM: score <x, c_k> with normalised class means). The output student is the teacher's backbone whose
  classifier holds those means (no bias), so Measure-Student's accuracy is the NCM accuracy. Training parameters do
  not apply; -BatchSize is the batch of the embedding pass.
- FitNet (Romero et al. 2015, "FitNets: Hints for Thin Deep Nets"): first HintFraction of the epochs train the
  student up to its middle group, through a learned 1x1 convolution regressor r, to the teacher's middle group:
  loss = mean((r(s) - t)^2); then the remaining epochs train with cross-entropy. The two groups need the same
  spatial size. Each phase runs the schedule over its own epochs.
- AttentionTransfer (Zagoruyko & Komodakis 2017, "Paying More Attention to Attention"): CE + Beta/2 x
  sum over groups of mean((at(s) - at(t))^2), at = normalised mean of squared activations over channels; the
  groups of student and teacher are paired one to one and need the same spatial sizes.
- Rkd (Park et al. 2019, "Relational Knowledge Distillation"): CE + DistanceWeight x distance loss + AngleWeight x
  angle loss on the pooled embeddings (Huber on normalised pairwise distances and on triplet angles).
- Crd (Tian, Krishnan & Isola 2020, "Contrastive Representation Distillation"): CE + CrdWeight x the NCE loss of
  student and teacher embeddings projected to ProjectionSize and normalised, against Negatives memory-bank entries
  of other records (at most the records outside the largest class); the memory updates with MemoryMomentum.
'@
    Parameters  = @{
        Method         = 'Scratch, KnowledgeDistillation, FineTune, TeacherNcm, FitNet, AttentionTransfer, Rkd or Crd.'
        Student        = 'The student to train, by value from the pipeline.'
        Teacher        = 'For every method but Scratch. KnowledgeDistillation needs a teacher with the student''s classes; the others work across tasks. Binds by property name.'
        Data           = 'The training data. Binds by property name.'
        ValidationData = 'Data for model selection by classification accuracy; never the test split.'
        Epochs         = 'Number of epochs. Default 200.'
        LearningRate   = 'Initial SGD learning rate. Default 0.1.'
        BatchSize      = 'Images per batch. Default 128.'
        Seed           = 'Seed for shuffling, augmentation and dropout, recorded as the student''s TrainingSeed; its Seed (the initialisation) is kept.'
        Threads        = 'libtorch intra-op threads for this run (process-wide).'
        Precision = 'Float32 (default) or BFloat16, mixed precision: the frozen teacher''s forward runs in bfloat16 (BatchNorm folded, channels-last) and the student''s convolutions run in bfloat16 on bfloat16 casts of its float32 weights (as PyTorch''s autocast), while the student''s weights, gradients and BatchNorm statistics, the losses, validation and saved checkpoints stay float32. BFloat16 is refused (PrecisionNotSupported, ResourceUnavailable) on a CPU without native bfloat16 arithmetic; Get-RefilledEnvironment shows BFloat16Supported. docs/performance.md has the speed and accuracy measured.'
        CheckpointPath = 'A file that always holds the best weights so far, written atomically.'
        Momentum       = 'SGD momentum. Default 0.9 (the released code).'
        WeightDecay    = 'SGD weight decay (L2). Default 5e-4 (the released code).'
        Nesterov       = 'Use Nesterov momentum. Default $true (the released code); -Nesterov:$false for plain momentum.'
        DropLast       = 'Drop the last partial batch of each epoch. Off by default, as the released code (drop_last=False): with K-shot data the partial batch can be half the steps. A last batch of a single image is always dropped (BatchNorm cannot train on it).'
        LogDirectory   = 'A folder for TensorBoard event files (TorchSharp''s SummaryWriter): per epoch the loss, its named terms, the learning rate and the validation score, over SGD steps. One folder is one TensorBoard run: give both stages the same folder.'
        Force          = 'Let -CheckpointPath replace an existing file; without it an existing file stops the cmdlet before training.'
        EvaluateEvery  = 'Measure validation accuracy every N epochs (and after the last). Default 1.'
        Temperature    = 'KD temperature T. Default 4.'
        Alpha          = 'KD weight of the soft-target term. Default 0.9.'
        Milestones     = 'Epochs at which the learning rate is multiplied by Gamma. Default: 50%, 70% and 90% of -Epochs.'
        Gamma          = 'Learning-rate factor at each milestone. Default 0.2.'
        HintFraction   = 'FitNet: the share of the epochs spent on hint training before classification. Default 0.25 (the paper trains hints to convergence; this is our fixed-budget choice).'
        Beta           = 'AttentionTransfer: weight of the attention loss. Default 1000 (published).'
        DistanceWeight = 'Rkd: weight of the distance loss. Default 25 (published).'
        AngleWeight    = 'Rkd: weight of the angle loss. Default 50 (published).'
        CrdWeight      = 'Crd: weight of the contrastive loss. Default 0.8 (released code).'
        Negatives      = 'Crd: memory-bank negatives per sample, capped at the records outside the largest class. Default 16384.'
        ProjectionSize = 'Crd: width of the projected embeddings. Default 128.'
        NceTemperature = 'Crd: temperature of the NCE scores. Default 0.07.'
        MemoryMomentum = 'Crd: momentum of the memory-bank update. Default 0.5.'
    }
    Examples    = @(
        @{
            Code    = 'New-Student smallcnn -Dataset $train | Invoke-RefilledBaseline Scratch -Data $train -ValidationData $val -Epochs 20 | Measure-Student -Data $test'
            Remarks = 'The from-scratch baseline that REFILLED should beat.'
        }
    )
    Links       = @('Invoke-RefilledStage1', 'Invoke-RefilledStage2', 'Measure-Student', 'about_Refilled')
}
