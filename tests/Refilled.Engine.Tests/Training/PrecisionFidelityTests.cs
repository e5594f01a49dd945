using Refilled.Engine.Methods;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Tests.Networks;
using Refilled.Engine.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Training;

/// <summary>
/// BFloat16 (a bfloat16 teacher, the student under <see cref="Autocast"/>, as the trainer steps it) changes the stage
/// losses on a fixed batch by under 1 % (fresh random weights and inputs).
/// </summary>
public class PrecisionFidelityTests
{
    [Fact]
    public void Stage1AndStage2LossesWithABFloat16TeacherAreWithinOnePercentOfFloat32()
    {
        if (!BFloat16Support.IsSupported) return;   // refused there (FrozenNetworkTests covers the refusal)
        var seed = Random.Shared.Next();
        manual_seed(seed);
        using var scope = NewDisposeScope();
        using var teacher = FrozenNetworkTests.RandomisedNetwork("wrn-16-2", 32);
        using var student = FrozenNetworkTests.RandomisedNetwork("wrn-16-1", 32);
        // The released batch of 128 around ten class prototypes. The stage-1 loss is small (~0.01), so its rounding
        // error shrinks with the number of mined triplets: at batch 48 one seed in a few strayed by 3 %, at 128 none of
        // 24 measured seeds by more than 0.2 %.
        var labels = randint(0, 10, 128, dtype: ScalarType.Int64);
        var images = randn(10, 3, 32, 32).index_select(0, labels) * 2 + randn(128, 3, 32, 32) * 0.5;

        foreach (var (stage, make) in new (string, Func<Precision, ITrainingObjective>)[]
        {
            ("stage 1", p => new Stage1Objective(teacher, new SemiHardTripletMiner(), new Stage1TripletLoss()) { TeacherPrecision = p }),
            ("stage 2", p => new Stage2Objective(teacher, new Stage2Loss(), CentreSource.Local, 128) { TeacherPrecision = p }),
        })
        {
            var exact = Loss(make(Precision.Float32), Precision.Float32);
            var fast = Loss(make(Precision.BFloat16), Precision.BFloat16);
            Assert.True(Math.Abs(fast - exact) <= 0.01 * Math.Abs(exact), $"{stage}: bfloat16 {fast} vs float32 {exact} (seed {seed})");
        }

        // Same dropout masks for both precisions: the student's randomness restarts from the same seed.
        double Loss(ITrainingObjective objective, Precision precision)
        {
            manual_seed(seed);
            student.train();
            using var autocast = Autocast.For(precision);
            return objective.Step(student, images, labels).Loss.item<float>();
        }
    }
}
