using Refilled.Engine.Data;
using Refilled.Engine.Networks;
using Refilled.Engine.Selection;
using Refilled.Engine.Training;
using Refilled.Engine.Tests.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Selection;

public class ValidationOrderTests
{
    [Fact]
    public void TiedAccuraciesGoToTheLowerCrossEntropyThenTheSmallerLambdaWhateverTheListOrder()
    {
        var candidates = new[]
        {
            new ValidationScore(0.96, 0.40, 10), new ValidationScore(0.96, 0.25, 1),
            new ValidationScore(0.96, 0.25, 0.1), new ValidationScore(0.94, 0.05, 0.1),
        };
        foreach (var order in new[] { candidates, candidates.Reverse().ToArray(), [candidates[1], candidates[0], candidates[3], candidates[2]] })
            Assert.Equal(new ValidationScore(0.96, 0.25, 0.1), order.Order(ValidationOrder.Instance).First());
        Assert.True(ValidationOrder.IsBetter(new ValidationScore(0.5), null));
        Assert.False(ValidationOrder.IsBetter(new ValidationScore(0.9, 0.3), new ValidationScore(0.9, 0.3)));
        Assert.True(ValidationOrder.IsBetter(new ValidationScore(0.9, 0.2), new ValidationScore(0.9, 0.3)));
    }

    /// <summary>
    /// A real classifier objective whose validation scores are scripted per epoch: three epochs tie in accuracy, and the
    /// second has the lowest cross-entropy. A trainer that only compares accuracies keeps the first.
    /// </summary>
    [Fact]
    public void TheTrainerKeepsTheTiedEpochWithTheLowerValidationCrossEntropy()
    {
        var data = ToyDigits.Create(2, 8, seed: 6);
        manual_seed(4);
        using var student = NetworkSpec.SmallCnn.Create(2);
        var objective = new ScriptedScores(new CrossEntropyObjective(),
            [new ValidationScore(0.9, 0.50), new ValidationScore(0.9, 0.30), new ValidationScore(0.9, 0.40), new ValidationScore(0.8, 0.10)]);
        var options = new TrainingOptions { Stage = TrainingStage.Scratch, Epochs = 4, BatchSize = 8, LearningRate = 0.05, Seed = 0, Threads = 2 };
        var result = new Trainer(options, objective).Run(student, data, data, CancellationToken.None);
        Assert.Equal(2, result.BestEpoch);
        Assert.Equal(0.30, result.BestValidationCrossEntropy);
        Assert.Equal([0.50, 0.30, 0.40, 0.10], result.History.Select(h => h.ValidationCrossEntropy!.Value));
    }

    sealed class ScriptedScores(ITrainingObjective inner, ValidationScore[] scores) : ITrainingObjective
    {
        int validated;
        public IEnumerable<TorchSharp.Modules.Parameter> Parameters(RefilledNetwork student) => inner.Parameters(student);
        public void Prepare(RefilledNetwork student, ImageDataset train, TrainingPlan plan) => inner.Prepare(student, train, plan);
        public ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels) => inner.Step(student, images, labels);
        public string ValidationMetricName => inner.ValidationMetricName;
        public double Validate(RefilledNetwork student, ImageDataset validation, int batchSize) => Score(student, validation, batchSize).Metric;
        public ValidationScore Score(RefilledNetwork student, ImageDataset validation, int batchSize) => scores[validated++];
    }
}
