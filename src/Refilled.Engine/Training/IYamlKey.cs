namespace Refilled.Engine.Training;

/// <summary>
/// An attribute that makes a property a key of an experiment-file section: its name there and its valid range
/// (<see cref="HyperparameterAttribute"/> on recipes, <c>ConfigKeyAttribute</c> on the data, teacher and resources
/// records). <see cref="RecipeKey"/> finds either, so one reader, writer and range check serve every section.
/// </summary>
public interface IYamlKey
{
    string Key { get; }
    double Min { get; }
    double Max { get; }
}
