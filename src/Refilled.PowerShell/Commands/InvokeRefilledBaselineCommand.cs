using System.Management.Automation;
using Refilled.Engine.Methods;
using Refilled.Engine.Training;
using Refilled.PowerShell.Objects;
using static TorchSharp.torch;

namespace Refilled.PowerShell.Commands;

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

    /// <summary>A named budget (epochs, lr, batch, milestones, gamma, Nesterov, momentum, weight decay); parameters given beside it override single values.</summary>
    [Parameter]
    public SchedulePreset? Schedule { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1e6)]
    public double HintWeight { get; set; } = FitNetObjective.DefaultWeight;

    [Parameter]
    [ValidateRange(0.01, 0.99)]
    public double HintFraction { get; set; } = new FitNetTwoStageRecipe().HintFraction;

    [Parameter]
    [ValidateRange(0.0, 1e6)]
    public double Beta { get; set; } = AttentionTransferLoss.DefaultBeta;

    [Parameter]
    public BetaConvention BetaConvention { get; set; } = BetaConvention.Beta;

    [Parameter]
    [ValidateRange(0.0, 1e6)]
    public double DistanceWeight { get; set; } = RkdLoss.DefaultDistanceWeight;

    [Parameter]
    [ValidateRange(0.0, 1e6)]
    public double AngleWeight { get; set; } = RkdLoss.DefaultAngleWeight;

    [Parameter]
    [ValidateRange(0.0, 1e6)]
    public double CrdWeight { get; set; } = CrdObjective.DefaultWeight;

    [Parameter]
    [ValidateRange(1, 1_000_000)]
    public int Negatives { get; set; } = CrdLoss.DefaultNegatives;

    [Parameter]
    [ValidateRange(1, 65_536)]
    public int ProjectionSize { get; set; } = CrdLoss.DefaultEmbeddingSize;

    [Parameter]
    [ValidateRange(1e-4, 100.0)]
    public double NceTemperature { get; set; } = CrdLoss.DefaultTemperature;

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double MemoryMomentum { get; set; } = CrdLoss.DefaultMomentum;

    protected override object? ErrorTarget => Student;

    protected override void Process()
    {
        var method = BaselineRecipe.For(Method);
        var recipe = Recipe(Schedule is { } preset ? SchedulePresets.Apply(method, preset) : method);
        var student = Student;
        manual_seed(Seed);
        if (recipe.StudentFrom(Teacher?.Labelled, Student.Labelled, Data.Dataset) is { } provided)
        {
            WriteVerbose($"{Method}: the student is the teacher's architecture, {provided.Network.Spec}, not the requested {Student.Architecture}.");
            student = new Student(provided.Network, [.. provided.Classes], Seed, null) { Stage = recipe.Stage };
        }
        foreach (var phase in recipe.Phases())
            if (Train(student, Teacher, phase).Cancelled) break;
        WriteObject(student);
    }
}
