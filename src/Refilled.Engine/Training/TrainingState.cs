namespace Refilled.Engine.Training;

/// <summary>
/// Everything a <see cref="Trainer"/> needs to continue a run at an epoch boundary as if it had never stopped:
/// how many epochs are done, their history, the best weights and score so far, the optimiser's momentum buffers
/// and libtorch's global random generator. The learning rate is computed from the epoch, so it needs no state.
/// </summary>
public sealed class TrainingState
{
    /// <summary>Epochs already completed; the resumed run starts at this (0-based) epoch.</summary>
    public int CompletedEpochs { get; init; }

    public IReadOnlyList<EpochMetrics> History { get; init; } = [];

    /// <summary>The best validated weights so far, or null. Borrowed: the trainer copies it, the owner disposes it.</summary>
    public WeightSnapshot? Best { get; init; }

    public double? BestMetric { get; init; }
    /// <summary>The best weights' validation cross-entropy, which breaks ties in <see cref="BestMetric"/>.</summary>
    public double? BestCrossEntropy { get; init; }
    public int? BestEpoch { get; init; }

    /// <summary>The optimiser as TorchSharp's <c>save_state_dict</c> writes it (options and momentum buffers).</summary>
    public byte[]? Optimizer { get; init; }

    /// <summary><c>torch.get_rng_state()</c> at the end of the last completed epoch.</summary>
    public byte[]? RandomState { get; init; }
}
