namespace Refilled.Engine.Reporting;

/// <summary>One named line of a <see cref="CurveChart"/>, e.g. a student's validation accuracy per epoch.</summary>
public sealed record CurveSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);
