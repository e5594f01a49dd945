using System.Management.Automation;
using Refilled.Engine.Distillation;
using Refilled.Engine.Training;
using Refilled.PowerShell.Objects;

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
        var run = NewRun(recipe);
        var student = Student;
        var trained = run.Student(Teacher?.Labelled, Student.Labelled, Data.Dataset);
        if (!ReferenceEquals(trained.Network, Student.Network))
        {
            WriteVerbose($"{Method}: the student is the teacher's architecture, {trained.Network.Spec}, not the requested {Student.Architecture}.");
            student = new Student(trained.Network, [.. trained.Classes], Seed, null) { Stage = recipe.Stage };
        }
        Train(student, Teacher, run);
        WriteObject(student);
    }
}
