using Refilled.Engine.Runtime;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>The RKD baseline (Park et al., CVPR 2019): distance weight 25, angle weight 50, as published.</summary>
public sealed record RkdRecipe : BaselineRecipe
{
    public override BaselineMethod Method => BaselineMethod.Rkd;
    public override bool NeedsTeacher => true;

    [Hyperparameter("distance_weight", 0, 1e6)]
    public double DistanceWeight { get; init; } = RkdLoss.DefaultDistanceWeight;

    [Hyperparameter("angle_weight", 0, 1e6)]
    public double AngleWeight { get; init; } = RkdLoss.DefaultAngleWeight;

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) =>
        new RkdObjective(teacher!, new RkdLoss(DistanceWeight, AngleWeight));
}
