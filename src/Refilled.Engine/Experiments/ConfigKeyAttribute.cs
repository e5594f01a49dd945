using Refilled.Engine.Training;

namespace Refilled.Engine.Experiments;

/// <summary>
/// Marks a property of a configuration record (data, teacher, pretrain, resources) as a key of its experiment-file
/// section, with its valid range: the section's reader, writer and range checks are derived from these, so a new key
/// is one property (its default is the property's initial value).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ConfigKeyAttribute(string key, double min = double.MinValue, double max = double.MaxValue)
    : YamlKeyAttribute(key, min, max)
{
    /// <summary>The section is an error without it.</summary>
    public bool Required { get; init; }
}
