using System.Management.Automation;
using Refilled.Engine.Training;

namespace Refilled.PowerShell.Commands;

/// <summary>Training cmdlets on the released multi-step schedule: pretraining, stage 2 and the baselines.</summary>
public abstract class MultiStepTrainingCmdlet : TrainingCmdlet
{
    /// <summary>The learning rate times Gamma at each milestone (default: 50%, 70% and 90% of the epochs).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int[]? Milestones { get; set; }

    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double Gamma { get; set; } = TrainingDefaults.Gamma;
}
