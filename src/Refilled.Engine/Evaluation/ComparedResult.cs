namespace Refilled.Engine.Evaluation;

/// <summary>One run's test accuracy (a fraction in [0, 1]) as a comparison pairs it: by seed and, where given, K.</summary>
public sealed record ComparedResult(string Method, int Seed, int? K, double Accuracy);
