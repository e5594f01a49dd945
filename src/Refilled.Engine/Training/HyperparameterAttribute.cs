namespace Refilled.Engine.Training;

/// <summary>
/// Marks a recipe property as a hyperparameter: its experiment-file key, its valid range and its help text. The YAML
/// reader, writer, sweeps, the cmdlet parameters (generated at build time by Refilled.Generators) and their help are
/// all derived from these, so a new hyperparameter is one property.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class HyperparameterAttribute(string key, double min = double.MinValue, double max = double.MaxValue)
    : YamlKeyAttribute(key, min, max)
{
    /// <summary>What the hyperparameter does, for the cmdlet's help; the help build adds its default.</summary>
    public string Help { get; init; } = "";

    /// <summary>A flag that is off unless given: the cmdlet takes it as a switch (-DropLast) rather than -Name $true.</summary>
    public bool Switch { get; init; }
}
