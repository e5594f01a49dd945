using Refilled.Engine.Data;
using Refilled.Engine.Evaluation;
using Refilled.Engine.Networks;
using Refilled.Engine.Selection;
using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Training;

/// <summary>Objectives that train the whole network, classifier included, and are validated by its accuracy.</summary>
public abstract class ClassifierObjective : ITrainingObjective
{
    public virtual IEnumerable<TorchSharp.Modules.Parameter> Parameters(RefilledNetwork student) => student.parameters();

    public virtual void Prepare(RefilledNetwork student, ImageDataset train, TrainingPlan plan)
    {
    }

    public virtual void BeginEpoch(int epoch)
    {
    }

    public abstract ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels);

    public string ValidationMetricName => "accuracy";

    public double Validate(RefilledNetwork student, ImageDataset validation, int batchSize) => Score(student, validation, batchSize).Metric;

    /// <summary>Accuracy, and the cross-entropy of the same pass that breaks ties in it.</summary>
    public ValidationScore Score(RefilledNetwork student, ImageDataset validation, int batchSize)
    {
        using var pass = EvaluationPass.Run(student, validation, batchSize);
        return new ValidationScore(pass.ClassifierAccuracy(), pass.CrossEntropy());
    }

    protected static long CountCorrect(Tensor logits, Tensor labels)
    {
        using var noGrad = no_grad();
        return logits.argmax(1).eq(labels).sum().item<long>();
    }
}
