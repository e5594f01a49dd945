using Refilled.Engine.Data;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;

namespace Refilled.Engine.Training;

/// <summary>
/// One training stage, defined once: every hyperparameter with the released code's default (see
/// <see cref="TrainingDefaults"/>), the rules its teacher, student and data must meet, and how it becomes an objective
/// and trainer options. Cmdlets fill a recipe from their parameters, experiment files from their keys
/// (<see cref="HyperparameterAttribute"/>); both train through <see cref="Build"/>.
/// </summary>
public abstract record StageRecipe
{
    /// <summary>The stage's name in histories, checkpoints and run folders.</summary>
    public abstract TrainingStage Stage { get; }

    /// <summary>Whether the stage learns from a teacher (stage 1, stage 2, Hinton KD).</summary>
    public abstract bool NeedsTeacher { get; }

    /// <summary>What the trained network is to the user, for messages: the student (a teacher in pretraining).</summary>
    protected virtual string Trainee => "student";

    [Hyperparameter("epochs", 1, 100_000, Help = "Number of epochs.")]
    public int Epochs { get; init; } = TrainingDefaults.Epochs;

    [Hyperparameter("lr", 1e-9, 100, Help = "Initial SGD learning rate: stage 1 anneals it by cosine to a tenth of it, the other stages multiply it by Gamma at each milestone.")]
    public double LearningRate { get; init; } = TrainingDefaults.LearningRate;

    [Hyperparameter("batch", 2, 65_536, Help = "Images per batch (in stage 1, larger batches give more triplets per step).")]
    public int BatchSize { get; init; } = TrainingDefaults.BatchSize;

    [Hyperparameter("momentum", 0, 1, Help = "SGD momentum. Default {default} (the released code).")]
    public double Momentum { get; init; } = TrainingDefaults.Momentum;

    [Hyperparameter("weight_decay", 0, 1, Help = "SGD weight decay (L2). Default {default} (the released code).")]
    public double WeightDecay { get; init; } = TrainingDefaults.WeightDecay;

    [Hyperparameter("nesterov", Help = "Use Nesterov momentum. Default {default} (the released code); -Nesterov:$false for plain momentum.")]
    public bool Nesterov { get; init; } = TrainingDefaults.Nesterov;

    [Hyperparameter("drop_last", Switch = true, Help = "Drop the last partial batch of each epoch. Default {default}, as the released code (drop_last=False): with " +
        "K-shot data the partial batch can be half the steps. A last batch of a single image is always dropped (BatchNorm cannot train on it).")]
    public bool DropLast { get; init; } = TrainingDefaults.DropLast;

    [Hyperparameter("evaluate_every", 1, 100_000, Help = "Measure validation accuracy (NCM accuracy in stage 1) every N epochs (and after the last).")]
    public int EvaluateEvery { get; init; } = TrainingDefaults.EvaluateEvery;

    public StageRecipe Copy() => this with { };

    /// <summary>What trains, in order: the stage itself, or its phases (FitNet's hint phase, then classification; none for teacher NCM).</summary>
    public virtual IReadOnlyList<StageRecipe> Phases() => [this];

    /// <summary>The learning rate per epoch.</summary>
    public abstract LearningRateSchedule Schedule();

    /// <summary>
    /// The objective; <paramref name="teacher"/> is null only for stages that do not need one, and its forward runs in
    /// <paramref name="teacherPrecision"/>.
    /// </summary>
    protected abstract ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision);

    /// <summary>Refuses a teacher, student or data the stage cannot train with, before anything is trained.</summary>
    public virtual void Validate(LabelledNetwork? teacher, LabelledNetwork student, ImageDataset data)
    {
        RequireChannels(student, "student", data);
        if (NeedsTeacher)
        {
            if (teacher is null) throw new StageRuleException("TeacherRequired", $"{Stage} needs a teacher.", student);
            RequireChannels(teacher, "teacher", data);
        }
        // Every stage learns the student's own task, stage 1 and FitNet's hints included: its labels must be the student's classes.
        student.RequireClassesOf(data, Trainee);
    }

    /// <summary>
    /// Validates, then builds the objective and the trainer's options: the recipe's stage and hyperparameters over the run-wide
    /// settings of <paramref name="run"/> (seed, threads, precision). A precision this CPU cannot run is refused earlier, by
    /// the <see cref="TrainingRun"/> that calls this.
    /// </summary>
    public (ITrainingObjective Objective, TrainingOptions Options) Build(LabelledNetwork? teacher, LabelledNetwork student,
        ImageDataset data, TrainingOptions run)
    {
        Validate(teacher, student, data);
        var options = run with
        {
            Stage = Stage, Epochs = Epochs, LearningRate = LearningRate, BatchSize = BatchSize, Momentum = Momentum, WeightDecay = WeightDecay,
            Nesterov = Nesterov, DropLast = DropLast, EvaluateEvery = EvaluateEvery, Schedule = Schedule(),
        };
        return (Objective(NeedsTeacher ? teacher!.Network : null, run.Precision), options);
    }

    static void RequireChannels(LabelledNetwork model, string role, ImageDataset data)
    {
        if (model.Network.InputShape[0] != data.ImageShape[0])
            throw new StageRuleException("InputShapeMismatch",
                $"The {role} {model} expects {model.Network.InputShape[0]}-channel images, but the data has {data.ImageShape[0]} " +
                $"({data.Name} {data.Split}, {string.Join("x", data.ImageShape)}).", model);
    }
}

/// <summary>Stages on the released multi-step schedule: pretraining, stage 2 and the baselines.</summary>
public abstract record MultiStepRecipe : StageRecipe
{
    /// <summary>Epochs at which the learning rate is multiplied by <see cref="Gamma"/>; null: 50, 70 and 90 % of the run.</summary>
    [Hyperparameter("milestones", 1, int.MaxValue, Help = "Epochs at which the learning rate is multiplied by Gamma. Default: 50%, 70% and 90% of -Epochs.")]
    public int[]? Milestones { get; init; }

    [Hyperparameter("gamma", 0, 1, Help = "Learning-rate factor at each milestone.")]
    public double Gamma { get; init; } = TrainingDefaults.Gamma;

    public override LearningRateSchedule Schedule() => LearningRateSchedule.ReleasedMultiStep(LearningRate, Epochs, Milestones, Gamma);

    // Records compare arrays by reference; two recipes with the same milestones are the same recipe.
    public virtual bool Equals(MultiStepRecipe? other) =>
        other is not null && base.Equals(other) && Gamma == other.Gamma &&
        (Milestones ?? []).SequenceEqual(other.Milestones ?? []) && (Milestones is null) == (other.Milestones is null);

    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Gamma, Milestones?.Length);
}
