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

    [Hyperparameter("crd_weight", 0, 1e6)]
    public double CrdWeight { get; init; } = CrdObjective.DefaultWeight;

    [Hyperparameter("negatives", 1, 1_000_000)]
    public int Negatives { get; init; } = CrdLoss.DefaultNegatives;

    [Hyperparameter("projection_size", 1, 65_536)]
    public int ProjectionSize { get; init; } = CrdLoss.DefaultEmbeddingSize;

    [Hyperparameter("nce_temperature", 1e-4, 100)]
    public double NceTemperature { get; init; } = CrdLoss.DefaultTemperature;

    [Hyperparameter("memory_momentum", 0, 1)]
    public double MemoryMomentum { get; init; } = CrdLoss.DefaultMomentum;

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) =>
        new CrdObjective(teacher!, CrdWeight, Negatives, ProjectionSize, NceTemperature, MemoryMomentum);
}
