namespace Refilled.Engine.Training;

/// <summary>
/// Makes a property a key of an experiment-file section: its name there and its valid range
/// (<see cref="HyperparameterAttribute"/> on recipes, <c>ConfigKeyAttribute</c> on the data, teacher and resources
/// records). <see cref="RecipeKey"/> finds either, so one reader, writer and range check serve every section.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public abstract class YamlKeyAttribute(string key, double min, double max) : Attribute
{
    public string Key { get; } = key;
    public double Min { get; } = min;
    public double Max { get; } = max;
}
