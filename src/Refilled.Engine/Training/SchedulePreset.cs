namespace Refilled.Engine.Training;

/// <summary>A named optimisation budget for a multi-step stage (<see cref="SchedulePresets"/> holds the values).</summary>
public enum SchedulePreset
{
    /// <summary>REFILLED's released main.py: 200 epochs, lr 0.1 × 0.2 at 100/140/180, batch 128, Nesterov.</summary>
    Refilled,
    /// <summary>RepDistiller's train_student.py, for which its baselines' weights were tuned: 240 epochs, lr 0.05 × 0.1 at 150/180/210, batch 64, no Nesterov.</summary>
    RepDistiller,
}
