using System.Management.Automation;
using Refilled.Engine.Distillation;
using Refilled.Engine.Training;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

/// <summary>The methods REFILLED is compared against.</summary>
public enum BaselineMethod
{
    /// <summary>Cross-entropy only, no teacher.</summary>
    Scratch,
    /// <summary>Hinton et al.'s soft targets; needs a teacher with the student's classes.</summary>
    KnowledgeDistillation,
}

[Cmdlet(VerbsLifecycle.Invoke, "RefilledBaseline")]
[OutputType(typeof(Student))]
public sealed class InvokeRefilledBaselineCommand : MultiStepTrainingCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public BaselineMethod Method { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public Student Student { get; set; } = null!;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Teacher? Teacher { get; set; }

    [Parameter]
    [ValidateRange(1e-3, 1e3)]
    public double Temperature { get; set; } = TrainingDefaults.KdTemperature;

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Alpha { get; set; } = TrainingDefaults.KdAlpha;

    protected override object? ErrorTarget => Student;

    protected override void Process()
    {
        RequireClassifierFor(Student, Data);
        ITrainingObjective objective = Method == BaselineMethod.Scratch ? new CrossEntropyObjective("Scratch") : DistillationObjective();
        Train(Student, objective, Options(MultiStepSchedule()));
        WriteObject(Student);
    }

    ITrainingObjective DistillationObjective()
    {
        if (Teacher is null)
            Fail("KnowledgeDistillation needs -Teacher.", "TeacherRequired", ErrorCategory.InvalidArgument, Student);
        if (!Teacher!.Classes.SequenceEqual(Student.Classes))
            Fail($"Hinton KD needs a teacher trained on the student's classes; the teacher has {RefilledModel.ClassList(Teacher.Classes)} " +
                 $"and the student {RefilledModel.ClassList(Student.Classes)}. For a teacher from other classes use Invoke-RefilledStage1 and Invoke-RefilledStage2.",
                "ClassMismatch", ErrorCategory.InvalidOperation, Teacher);
        RequireChannels(Teacher, Data, "training data");
        return new KnowledgeDistillationObjective(Teacher.Network, new HintonKdLoss(Temperature, Alpha));
    }
}
