namespace Refilled.Engine.Evaluation;

/// <summary>
/// How a model scores on a dataset. <see cref="Accuracy"/> is null when the model's classifier was trained on other
/// classes than the data's (a cross-task teacher). <see cref="NcmAccuracy"/> takes its class means from a reference
/// set (the training images) and is null without one; <see cref="NcmTransductive"/> takes them from the measured
/// data's own labels, as the released code does, and is always measured.
/// </summary>
public sealed record Measurement(
    double? Accuracy,
    double? NcmAccuracy,
    double NcmTransductive,
    IReadOnlyList<double>? PerClassAccuracy,
    int Samples,
    double Seconds);
