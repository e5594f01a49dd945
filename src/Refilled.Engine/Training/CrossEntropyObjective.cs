using static TorchSharp.torch;
using Refilled.Engine.Networks;

namespace Refilled.Engine.Training;

/// <summary>Plain cross-entropy: teacher pretraining and the Scratch baseline.</summary>
public sealed class CrossEntropyObjective : ClassifierObjective
{
    public override ObjectiveStep Step(RefilledNetwork student, Tensor images, Tensor labels)
    {
        var logits = student.forward(images);
        var loss = nn.functional.cross_entropy(logits, labels);
        return new ObjectiveStep(loss, CountCorrect(logits, labels), 0, false, [(LossTerms.CrossEntropy, loss)]);
    }
}
