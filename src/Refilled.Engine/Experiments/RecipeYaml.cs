using System.Globalization;
using System.Reflection;
using Refilled.Engine.Training;
using YamlDotNet.RepresentationModel;

namespace Refilled.Engine.Experiments;

/// <summary>
/// Reads and writes a stage recipe, or a configuration record (data, teacher, resources), as a YAML section, key by
/// key from its <see cref="YamlKeyAttribute"/> attributes, so the experiment-file schema of a section is its type.
/// </summary>
internal static class RecipeYaml
{
    public static IReadOnlyList<string> Keys(Type recipeType) => RecipeKey.Of(recipeType).Select(k => k.Key).ToList();

    /// <summary>
    /// A new <typeparamref name="T"/> (its defaults) with every key the section sets, type- and range-checked; a missing
    /// <see cref="ConfigKeyAttribute.Required"/> key and bad values are errors of the section.
    /// </summary>
    public static T ReadConfig<T>(YamlSection section) where T : new()
    {
        var keys = RecipeKey.Of(typeof(T));
        section.Require([.. keys.Where(k => k.Property.GetCustomAttribute<ConfigKeyAttribute>()?.Required == true).Select(k => k.Key)]);
        var config = new T();
        // A fresh record no one else sees yet: its init-only properties are set in place.
        foreach (var key in keys)
            if (section.ValueOf(key.Key) is { } node && Parse(section, node, key, section.Qualified(key.Key)) is { } value)
                key.Property.SetValue(config, value);
        return config;
    }

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

    /// <summary>The recipe's (or record's) keys as (key, YAML value) pairs in declaration order; unset (null) values are left out.</summary>
    public static IEnumerable<(string Key, object? Value)> Entries(object recipe) =>
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
        string text => text,
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
