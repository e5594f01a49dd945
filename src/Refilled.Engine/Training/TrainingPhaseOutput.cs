namespace Refilled.Engine.Training;

/// <summary>What receives a phase's progress, checkpoints and per-epoch states (see <see cref="Trainer"/>); all optional.</summary>
public sealed record TrainingPhaseOutput(ITrainingObserver? Observer = null, ICheckpointSink? Checkpoints = null, ITrainingStateSink? States = null);
