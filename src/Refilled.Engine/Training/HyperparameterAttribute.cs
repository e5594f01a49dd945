namespace Refilled.Engine.Training;

/// <summary>
/// Marks a recipe property as a hyperparameter: its experiment-file key and its valid range. The YAML reader, writer
/// and sweeps are derived from these, so a new hyperparameter is one property (plus its cmdlet parameter).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HyperparameterAttribute(string key, double min = double.MinValue, double max = double.MaxValue) : Attribute
{
    public string Key { get; } = key;
    public double Min { get; } = min;
    public double Max { get; } = max;
}
