using Refilled.Engine.Data;
using Refilled.Engine.Evaluation;
using Refilled.Engine.Networks;
using Refilled.Engine.Tests.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Evaluation;

public class ModelEvaluatorTests
{
    const int Classes = 4;

    static ImageDataset Relabelled(ImageDataset data, Func<int, int> label) => new(
        data.Name, DatasetSplit.Train, [.. Enumerable.Range(0, data.Count).Select(data.Image)],
        [.. Enumerable.Range(0, data.Count).Select(i => label(data.Label(i)))], [.. data.SourceIndices], [.. data.Classes], null,
        data.TrainTransform, data.TestTransform);

    [Fact]
    public void InductiveNcmTakesTheClassMeansFromTheReferenceSet()
    {
        var test = ToyDigits.Create(Classes, 8, seed: 2, DatasetSplit.Test);
        manual_seed(Random.Shared.Next());
        using var net = NetworkSpec.SmallCnn.Create(Classes);

        var withoutReference = ModelEvaluator.Measure(net, test, true);
        Assert.Null(withoutReference.NcmAccuracy);

        // The measured set as its own reference is the transductive protocol.
        var self = ModelEvaluator.Measure(net, test, true, reference: Relabelled(test, y => y));
        Assert.Equal(self.NcmTransductive, self.NcmAccuracy);
        Assert.Equal(withoutReference.NcmTransductive, self.NcmTransductive);

        // A reference whose labels are shifted by one shifts every class mean: each prediction moves to the next class.
        var shifted = ModelEvaluator.Measure(net, test, true, reference: Relabelled(test, y => (y + 1) % Classes));
        using var pass = EvaluationPass.Run(net, test, 64);
        var predictions = NearestClassMean.Predict(pass.Embeddings, NearestClassMean.Centres(pass.Embeddings, pass.Labels, Classes));
        var expected = predictions.add(1).remainder(Classes).eq(pass.Labels).to_type(ScalarType.Float64).mean().item<double>();
        Assert.Equal(expected, shifted.NcmAccuracy!.Value, 12);
        Assert.Equal(self.NcmTransductive, shifted.NcmTransductive);
    }

    [Fact]
    public void RejectsAReferenceWithOtherClasses()
    {
        var test = ToyDigits.Create(Classes, 4, seed: 2, DatasetSplit.Test);
        var other = ToyDigits.Create(Classes - 1, 4, seed: 3);
        using var net = NetworkSpec.SmallCnn.Create(Classes);
        var e = Assert.Throws<ArgumentException>(() => ModelEvaluator.Measure(net, test, true, reference: other));
        Assert.Contains("same order", e.Message);
    }
}
