using System.Management.Automation;
using Refilled.Engine.Evaluation;
using Refilled.Engine.Runtime;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsDiagnostic.Measure, "Student")]
[OutputType(typeof(StudentMeasurement))]
public sealed class MeasureStudentCommand : RefilledCmdlet
{
    /// <summary>A student or a teacher.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [Alias("Model", "Teacher")]
    public RefilledModel Student { get; set; } = null!;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Dataset")]
    public RefilledDataset Data { get; set; } = null!;

    /// <summary>The training data: NCM class means come from it (inductive), never from the measured data's labels.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public RefilledDataset? Reference { get; set; }

    /// <summary>The method label of the result, for Compare-RefilledResult; default: from the model's last trained stage.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Method { get; set; }

    [Parameter]
    [ValidateRange(1, 65_536)]
    public int BatchSize { get; set; } = 256;

    /// <summary>The forward pass's number format; BFloat16 only where the CPU computes it natively.</summary>
    [Parameter]
    public Precision Precision { get; set; } = Precision.Float32;

    protected override void Begin() => RequireSupported(Precision);

    protected override object? ErrorTarget => Student;

    protected override void Process()
    {
        if (Student.Network.InputShape[0] != Data.ImageShape[0])
            Fail($"{Student} expects {Student.Network.InputShape[0]}-channel images; {Data} has {Data.ImageShape[0]}.",
                "InputShapeMismatch", ErrorCategory.InvalidOperation, Student);
        if (Reference is not null && !Reference.Classes.SequenceEqual(Data.Classes))
            Fail($"The reference set {Reference} must list the measured data's classes ({string.Join(",", Data.Classes)}) in the same order.",
                "ReferenceClassMismatch", ErrorCategory.InvalidArgument, Reference);
        // The classifier's outputs only mean the data's labels when both list the same real classes in the same order.
        var classifierMatches = Student.Classes.SequenceEqual(Data.Classes);
        if (!classifierMatches)
            WriteVerbose($"{Student} was trained on other classes than {Data}: only NCM accuracy is measured.");
        var measurement = ModelEvaluator.Measure(Student.Network, Data.Dataset, classifierMatches, BatchSize, Reference?.Dataset, Precision);
        WriteObject(new StudentMeasurement(Student, Data, measurement, Method));
    }
}
