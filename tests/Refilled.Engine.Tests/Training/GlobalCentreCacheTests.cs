using Refilled.Engine.Distillation;
using Refilled.Engine.Evaluation;
using Refilled.Engine.Methods;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Training;

/// <summary>Global centres from the plain images (default) or, as the released code, from one augmented pass.</summary>
public class GlobalCentreCacheTests
{
    [Fact]
    public void AugmentedCentresComeFromOneSeededAugmentedPassAndAreCachedApart()
    {
        var data = ToyDigits.Create(3, 8, seed: 31);
        manual_seed(5);
        using var teacher = NetworkSpec.Parse("smallcnn").Create(3);
        var plain = GlobalCentreCache.For(teacher, data, 8);
        var augmented = GlobalCentreCache.For(teacher, data, 8, augment: true);

        using var pass = EvaluationPass.Run(teacher, data, 8, augment: true);
        Assert.True(augmented.allclose(ClassCentres.Global(pass.Embeddings, pass.Labels, 3), 1e-5, 1e-6));
        // MNIST's training transform shifts by up to 2 pixels: other images, other means.
        Assert.False(plain.allclose(augmented, 1e-4, 1e-5));
        Assert.Same(augmented, GlobalCentreCache.For(teacher, data, 8, augment: true));
        Assert.Same(plain, GlobalCentreCache.For(teacher, data, 8));
    }
}
