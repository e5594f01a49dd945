@{
    Synopsis    = 'Trains a student by a baseline method: scratch, Hinton KD, fine-tuning, teacher NCM, FitNet (one or two stages), attention transfer, RKD or CRD.'
    Description = @'
The methods REFILLED is compared against, each with its published defaults. All but TeacherNcm train with SGD
(Nesterov 0.9, weight decay 5e-4) on a multi-step schedule and keep the best epoch by validation accuracy (ties in accuracy (common with 10 validation images per class) go to the lower validation cross-entropy, then to the earlier epoch); compare
methods at equal budgets (the same epochs, batch and data give the same SGD steps). -Schedule RepDistiller trains
with the budget RepDistiller tuned these baselines' weights for (see -Schedule).

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
- FitNet (Romero et al. 2015, "FitNets: Hints for Thin Deep Nets", as RepDistiller trains it): one stage of
  CE + HintWeight x mean((r(s) - t)^2), s the student's middle group, t the teacher's, r RepDistiller's ConvReg
  (a convolution chosen by the spatial sizes, BatchNorm, ReLU): the student's group may be twice, half or at least
  the teacher's spatial size.
- FitNetTwoStage (Romero et al. 2015 as the paper describes it): first HintFraction of the epochs train the
  student up to its middle group, through a learned 1x1 convolution regressor r, to the teacher's middle group:
  loss = mean((r(s) - t)^2); then the remaining epochs train with cross-entropy. The two groups need the same
  spatial size. Each phase runs the schedule over its own epochs.
- AttentionTransfer (Zagoruyko & Komodakis 2017, "Paying More Attention to Attention"): CE + Beta x
  sum over groups of mean((at(s) - at(t))^2), as the authors' code and RepDistiller compute it (-BetaConvention
  HalfBeta: Beta/2, the paper's equation), at = normalised mean of squared activations over channels; the
  groups of student and teacher are paired one to one and need the same spatial sizes.
- Rkd (Park et al. 2019, "Relational Knowledge Distillation"): CE + DistanceWeight x distance loss + AngleWeight x
  angle loss on the pooled embeddings (Huber on normalised pairwise distances and on triplet angles).
- Crd (Tian, Krishnan & Isola 2020, "Contrastive Representation Distillation"): CE + CrdWeight x the NCE loss of
  student and teacher embeddings projected to ProjectionSize and normalised, against Negatives memory-bank entries
  of records of other classes (drawn without replacement, or with replacement where a class leaves fewer, as
  RepDistiller); the memory updates with MemoryMomentum.
'@
    Parameters  = @{
        Method         = 'Scratch, KnowledgeDistillation, FineTune, TeacherNcm, FitNet, FitNetTwoStage, AttentionTransfer, Rkd or Crd.'
        Schedule       = 'A named budget: RepDistiller (240 epochs, lr 0.05 x 0.1 at epochs 150, 180 and 210, batch 64, momentum 0.9 without Nesterov, weight decay 5e-4: RepDistiller''s train_student.py, for which its Beta, HintWeight and CrdWeight were tuned) or Refilled (the defaults). Epochs, learning rate, batch, milestones, gamma, momentum, weight decay or Nesterov given beside it override the preset''s value. YAML: schedule: repdistiller in the baseline section.'
        Student        = 'The student to train, by value from the pipeline.'
        Teacher        = 'For every method but Scratch. KnowledgeDistillation needs a teacher with the student''s classes; the others work across tasks. Binds by property name.'
        Data           = 'The training data. Binds by property name.'
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
            Code    = 'New-Student smallcnn -Dataset $train | Invoke-RefilledBaseline Scratch -Data $train -ValidationData $val -Epochs 20 | Measure-Student -Data $test'
            Remarks = 'The from-scratch baseline that REFILLED should beat.'
        }
        @{
            Code    = '$student | Invoke-RefilledBaseline FitNet -Schedule RepDistiller -Teacher $teacher -Data $train -ValidationData $val'
            Remarks = 'FitNet as RepDistiller ran it: its budget (240 epochs at lr 0.05, batch 64) and hint weight 100.'
        }
    )
    Links       = @('Invoke-RefilledStage1', 'Invoke-RefilledStage2', 'Measure-Student', 'about_Refilled')
}
