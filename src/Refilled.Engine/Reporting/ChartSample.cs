namespace Refilled.Engine.Reporting;

/// <summary>One measurement for a <see cref="GroupedBarChart"/>: e.g. Category "20" (K), Group "Refilled", Value 0.71.</summary>
public sealed record ChartSample(string Category, string Group, double Value);
