using Refilled.Engine.Distillation;
using static TorchSharp.torch;

namespace Refilled.Engine.Evaluation;

/// <summary>
/// Nearest-class-mean classification as the released Test.py: class k scores ⟨x_i, c_k⟩ with raw embeddings x_i
/// and normalised class means c_k; the prediction is the first best-scoring class.
/// </summary>
public static class NearestClassMean
{
    /// <summary>[numClasses, D] normalised class means of <paramref name="embeddings"/>; a class without samples gets the zero vector.</summary>
    public static Tensor Centres(Tensor embeddings, Tensor labels, int numClasses) =>
        ClassCentres.Global(embeddings, labels, numClasses);

    /// <summary>[N] int64 predicted class of each embedding.</summary>
    public static Tensor Predict(Tensor embeddings, Tensor centres)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return scope.MoveToOuter(embeddings.detach().matmul(centres.detach().t()).argmax(1));
    }

    /// <summary>Fraction of embeddings whose prediction equals the label.</summary>
    public static double Accuracy(Tensor embeddings, Tensor labels, Tensor centres)
    {
        using var scope = NewDisposeScope();
        var predictions = Predict(embeddings, centres);
        return predictions.eq(labels).to_type(ScalarType.Float64).mean().item<double>();
    }
}
