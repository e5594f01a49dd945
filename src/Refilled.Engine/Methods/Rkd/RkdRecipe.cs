using Refilled.Engine.Runtime;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>The RKD baseline (Park et al., CVPR 2019): distance weight 25, angle weight 50, as published.</summary>
public sealed record RkdRecipe : BaselineRecipe
{
    public override BaselineMethod Method => BaselineMethod.Rkd;
    public override bool NeedsTeacher => true;

    public const double DefaultDistanceWeight = 25;
    public const double DefaultAngleWeight = 50;

    [Hyperparameter("distance_weight", 0, 1e6, Help = "Weight of the distance loss. Default {default} (published).")]
    public double DistanceWeight { get; init; } = DefaultDistanceWeight;

    [Hyperparameter("angle_weight", 0, 1e6, Help = "Weight of the angle loss. Default {default} (published).")]
    public double AngleWeight { get; init; } = DefaultAngleWeight;

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) =>
        new RkdObjective(teacher!, new RkdLoss(DistanceWeight, AngleWeight));
}
