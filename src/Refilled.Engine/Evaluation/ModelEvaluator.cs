using System.Diagnostics;
using Refilled.Engine.Checkpoints.Onnx;
using Refilled.Engine.Data;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;

namespace Refilled.Engine.Evaluation;

/// <summary>Classifier and NCM accuracy (inductive from a reference set, and transductive) of a network on a dataset.</summary>
public static class ModelEvaluator
{
    /// <param name="reference">The set whose embeddings give the NCM class means (the training images); it must list the data's classes in the same order.</param>
    public static Measurement Measure(RefilledNetwork network, ImageDataset data, bool classifierMatchesData, int batchSize = 256,
        ImageDataset? reference = null, Precision precision = Precision.Float32)
    {
        EnsureComparable(data, reference);
        BFloat16Support.EnsureSupported(precision);
        return Measure(set => EvaluationPass.Run(network, set, batchSize, precision), data, classifierMatchesData, reference);
    }

    /// <summary>The same measurement of an exported model, run by ONNX Runtime as deployed.</summary>
    public static Measurement Measure(OnnxClassifier model, ImageDataset data, bool classifierMatchesData, int batchSize = 256,
        ImageDataset? reference = null)
    {
        EnsureComparable(data, reference);
        return Measure(set => EvaluationPass.Run(model, set, batchSize), data, classifierMatchesData, reference);
    }

    static void EnsureComparable(ImageDataset data, ImageDataset? reference)
    {
        if (reference is not null && !reference.Classes.SequenceEqual(data.Classes))
            throw new ArgumentException("The NCM reference set must have the measured data's classes in the same order.", nameof(reference));
    }

    static Measurement Measure(Func<ImageDataset, EvaluationPass> run, ImageDataset data, bool classifierMatchesData, ImageDataset? reference)
    {
        var clock = Stopwatch.StartNew();
        using var pass = run(data);
        using var onReference = reference is null ? null : run(reference);
        double? accuracy = classifierMatchesData ? pass.ClassifierAccuracy() : null;
        var perClass = classifierMatchesData ? pass.PerClassAccuracy(data.NumClasses) : null;
        double? ncm = onReference is null ? null : pass.NcmAccuracy(data.NumClasses, onReference);
        var transductive = pass.NcmAccuracy(data.NumClasses);
        return new Measurement(accuracy, ncm, transductive, perClass, data.Count, clock.Elapsed.TotalSeconds);
    }
}
