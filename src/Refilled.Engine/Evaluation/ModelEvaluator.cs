using System.Diagnostics;
using Refilled.Engine.Data;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;

namespace Refilled.Engine.Evaluation;

/// <summary>Classifier and NCM accuracy of a network on a dataset.</summary>
public static class ModelEvaluator
{
    public static Measurement Measure(RefilledNetwork network, ImageDataset data, bool classifierMatchesData, int batchSize = 256,
        Precision precision = Precision.Float32)
    {
        BFloat16Support.EnsureSupported(precision);
        var clock = Stopwatch.StartNew();
        using var pass = EvaluationPass.Run(network, data, batchSize, precision);
        double? accuracy = classifierMatchesData ? pass.ClassifierAccuracy() : null;
        var perClass = classifierMatchesData ? pass.PerClassAccuracy(data.NumClasses) : null;
        var ncm = pass.NcmAccuracy(data.NumClasses);
        return new Measurement(accuracy, ncm, perClass, data.Count, clock.Elapsed.TotalSeconds);
    }
}
