using System.Management.Automation;
using Refilled.Engine.Checkpoints.Onnx;
using Refilled.Engine.Evaluation;
using Refilled.Engine.Runtime;
using Refilled.PowerShell.Objects;

namespace Refilled.PowerShell.Commands;

[Cmdlet(VerbsDiagnostic.Measure, "Student", DefaultParameterSetName = ModelSet)]
[OutputType(typeof(StudentMeasurement))]
public sealed class MeasureStudentCommand : RefilledCmdlet
{
    const string ModelSet = "Model";
    const string OnnxSet = "Onnx";

    /// <summary>A student or a teacher.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ModelSet)]
    [Alias("Model", "Teacher")]
    public RefilledModel Student { get; set; } = null!;

    /// <summary>An ONNX file written by Export-RefilledModel -Format Onnx, measured as deployed: through ONNX Runtime.</summary>
    [Parameter(Mandatory = true, ParameterSetName = OnnxSet, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    public string OnnxPath { get; set; } = "";

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
    [Parameter(ParameterSetName = ModelSet)]
    public Precision Precision { get; set; } = Precision.Float32;

    /// <summary>ONNX Runtime's threads for -OnnxPath, as a small deployment would give it.</summary>
    const int OnnxThreads = 2;

    protected override void Begin() => BFloat16Support.EnsureSupported(Precision);

    protected override object? ErrorTarget => ParameterSetName == OnnxSet ? OnnxPath : Student;

    protected override void Process()
    {
        if (ParameterSetName == OnnxSet)
        {
            MeasureOnnx();
            return;
        }
        if (Student.Network.InputShape[0] != Data.ImageShape[0])
            Fail($"{Student} expects {Student.Network.InputShape[0]}-channel images; {Data} has {Data.ImageShape[0]}.",
                "InputShapeMismatch", ErrorCategory.InvalidOperation, Student);
        EnsureReferenceMatches();
        // A student is measured on its own classes; a teacher's embedding may be measured on any (NCM), with a warning.
        if (Student is not Teacher) Student.Labelled.RequireClassesOf(Data.Dataset, "student");
        var classifierMatches = ClassifierMatches(Student.Classes, Student.ToString());
        var measurement = ModelEvaluator.Measure(Student.Network, Data.Dataset, classifierMatches, BatchSize, Reference?.Dataset, Precision);
        WriteObject(new StudentMeasurement(Student, Data, measurement, Method));
    }

    void MeasureOnnx()
    {
        var path = ResolvePath(OnnxPath);
        using var model = OnnxClassifier.Load(path, OnnxThreads);
        if (!model.InputShape.SequenceEqual(Data.ImageShape))
            Fail($"'{path}' takes {string.Join("×", model.InputShape)} images; {Data} has {string.Join("×", Data.ImageShape)}.",
                "InputShapeMismatch", ErrorCategory.InvalidOperation, path);
        if (model.Metadata.Normalisation != Data.Dataset.TestTransform.Normalisation)
            Fail($"'{path}' normalises its input for other data than {Data} (mean {string.Join(",", model.Metadata.Normalisation.Mean)}).",
                "NormalisationMismatch", ErrorCategory.InvalidOperation, path);
        EnsureReferenceMatches();
        // The class ids in the file's metadata say what each logit means, as a model's Classes do.
        var classifierMatches = ClassifierMatches(model.Metadata.Classes, $"'{path}'");
        var measurement = ModelEvaluator.Measure(model, Data.Dataset, classifierMatches, BatchSize, Reference?.Dataset);
        WriteObject(new StudentMeasurement(model, path, Data, measurement, Method));
    }

    void EnsureReferenceMatches()
    {
        if (Reference is not null && !Reference.Classes.SequenceEqual(Data.Classes))
            Fail($"The reference set {Reference} must list the measured data's classes ({string.Join(",", Data.Classes)}) in the same order.",
                "ReferenceClassMismatch", ErrorCategory.InvalidArgument, Reference);
    }

    // The classifier's outputs only mean the data's labels when both list the same real classes in the same order.
    bool ClassifierMatches(IReadOnlyList<int> classes, string model)
    {
        var matches = classes.SequenceEqual(Data.Classes);
        if (!matches) WriteWarning($"{model} has other classes than {Data}: Accuracy and PerClassAccuracy stay empty, only the NCM accuracy of its embedding is measured.");
        return matches;
    }
}
