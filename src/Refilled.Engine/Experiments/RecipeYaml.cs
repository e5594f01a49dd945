using System.Globalization;
using Refilled.Engine.Training;
using YamlDotNet.RepresentationModel;

namespace Refilled.Engine.Experiments;

/// <summary>
/// Reads and writes a stage recipe as a YAML section, key by key from its <see cref="HyperparameterAttribute"/>s,
/// so the experiment-file schema of a stage is its recipe type.
/// </summary>
internal static class RecipeYaml
{
    public static IReadOnlyList<string> Keys(Type recipeType) => RecipeKey.Of(recipeType).Select(k => k.Key).ToList();

    /// <summary><paramref name="recipe"/> with every hyperparameter the section sets (range-checked; errors go to the section).</summary>
    public static T Read<T>(YamlSection section, T recipe) where T : StageRecipe
    {
        foreach (var key in RecipeKey.Of(recipe.GetType()))
            if (section.ValueOf(key.Key) is { } node && Parse(section, node, key, section.Qualified(key.Key)) is { } value)
                recipe = key.With(recipe, value);
        return recipe;
    }

    public static object? Parse(YamlSection section, YamlNode node, RecipeKey key, string what) =>
        section.Parse(node, what, key.Type, key.Min, key.Max);

    /// <summary>The recipe's hyperparameters as (key, YAML value) pairs in declaration order; unset lists are left out.</summary>
    public static IEnumerable<(string Key, object? Value)> Entries(StageRecipe recipe) =>
        RecipeKey.Of(recipe.GetType()).Select(k => (k.Key, (object?)Node(k.Property.GetValue(recipe))));

    /// <summary>A stable one-line description (e.g. for a cache key): key=value pairs in declaration order.</summary>
    public static string Describe(StageRecipe recipe) =>
        string.Join(";", RecipeKey.Of(recipe.GetType()).Select(k => $"{k.Key}={Text(k.Property.GetValue(recipe))}"));

    /// <summary>A sweep axis value as a number: numbers as they are, enums by ordinal, booleans as 0 or 1.</summary>
    public static double ToNumber(object value) => value switch
    {
        bool b => b ? 1 : 0,
        Enum e => Convert.ToInt32(e, CultureInfo.InvariantCulture),
        _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
    };

    /// <summary>The inverse of <see cref="ToNumber"/> for a hyperparameter.</summary>
    public static object FromNumber(RecipeKey key, double value) =>
        key.Type == typeof(bool) ? value != 0
        : key.Type.IsEnum ? Enum.ToObject(key.Type, (int)value)
        : key.Type == typeof(int) ? (int)value
        : value;

    public static string Text(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        Enum e => e.ToString().ToLowerInvariant(),
        double d => Experiment.Format(d),
        int i => i.ToString(CultureInfo.InvariantCulture),
        int[] list => "[" + string.Join(", ", list.Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]",
        _ => throw new ArgumentException($"Cannot write {value.GetType().Name}."),
    };

    static YamlNode? Node(object? value) => value switch
    {
        null => null,
        int[] list => new YamlSequenceNode(list.Select(v => new YamlScalarNode(v.ToString(CultureInfo.InvariantCulture))))
            { Style = YamlDotNet.Core.Events.SequenceStyle.Flow },
        _ => new YamlScalarNode(Text(value)),
    };
}
