using Refilled.Engine.Runtime;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>
/// The CRD baseline (Tian et al., ICLR 2020) with the released defaults: weight 0.8, 16,384 negatives (drawn with
/// replacement when fewer records lie outside a class, as released), a 128-d projection, NCE temperature 0.07, memory momentum 0.5.
/// </summary>
public sealed record CrdRecipe : BaselineRecipe
{
    public override BaselineMethod Method => BaselineMethod.Crd;
    public override bool NeedsTeacher => true;

    public const double DefaultWeight = 0.8;
    public const int DefaultNegatives = 16_384;
    public const int DefaultProjectionSize = 128;
    public const double DefaultNceTemperature = 0.07;
    public const double DefaultMemoryMomentum = 0.5;

    [Hyperparameter("crd_weight", 0, 1e6, Help = "Weight of the contrastive loss. Default {default} (released code).")]
    public double CrdWeight { get; init; } = DefaultWeight;

    [Hyperparameter("negatives", 1, 1_000_000, Help = "Memory-bank negatives per sample. Default {default}, whatever the size of -Data (the " +
        "released noise term K/N); drawn with replacement where a class leaves fewer records outside it.")]
    public int Negatives { get; init; } = DefaultNegatives;

    [Hyperparameter("projection_size", 1, 65_536, Help = "Width of the projected embeddings.")]
    public int ProjectionSize { get; init; } = DefaultProjectionSize;

    [Hyperparameter("nce_temperature", 1e-4, 100, Help = "Temperature of the NCE scores.")]
    public double NceTemperature { get; init; } = DefaultNceTemperature;

    [Hyperparameter("memory_momentum", 0, 1, Help = "Momentum of the memory-bank update.")]
    public double MemoryMomentum { get; init; } = DefaultMemoryMomentum;

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) =>
        new CrdObjective(teacher!, CrdWeight, Negatives, ProjectionSize, NceTemperature, MemoryMomentum);
}
