namespace Refilled.Engine.Evaluation;

/// <summary>
/// How a model scores on a dataset. <see cref="Accuracy"/> is null when the model's classifier was trained on other
/// classes than the data's (a cross-task teacher); NCM needs no classifier and is always measured.
/// </summary>
public sealed record Measurement(
    double? Accuracy,
    double NcmAccuracy,
    IReadOnlyList<double>? PerClassAccuracy,
    int Samples,
    double Seconds);
