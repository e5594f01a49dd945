using System.Reflection;

namespace Refilled.Engine.Training;

/// <summary>
/// One hyperparameter of a recipe type (or one key of a configuration record, see <see cref="YamlKeyAttribute"/>): its key,
/// range and property, found by reflection.
/// </summary>
public sealed record RecipeKey(string Key, PropertyInfo Property, double Min, double Max)
{
    public Type Type => Nullable.GetUnderlyingType(Property.PropertyType) ?? Property.PropertyType;

    /// <summary>What the hyperparameter does (<see cref="HyperparameterAttribute.Help"/>), for the cmdlet's help.</summary>
    public string Help => Property.GetCustomAttribute<HyperparameterAttribute>()?.Help ?? "";

    /// <summary>A flag the cmdlet takes as a switch (<see cref="HyperparameterAttribute.Switch"/>).</summary>
    public bool IsSwitch => Property.GetCustomAttribute<HyperparameterAttribute>()?.Switch ?? false;

    /// <summary>The hyperparameters (keys) of <paramref name="recipeType"/>, base-class ones first.</summary>
    public static IReadOnlyList<RecipeKey> Of(Type recipeType) =>
        recipeType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<YamlKeyAttribute>()))
            .Where(p => p.Attribute != null)
            .OrderBy(p => Depth(p.Property.DeclaringType!))
            .Select(p => new RecipeKey(p.Attribute!.Key, p.Property, p.Attribute.Min, p.Attribute.Max))
            .ToList();

    /// <summary>A copy of <paramref name="recipe"/> with this hyperparameter set to <paramref name="value"/>.</summary>
    public T With<T>(T recipe, object? value) where T : StageRecipe
    {
        var copy = recipe.Copy();
        Property.SetValue(copy, value);
        return (T)copy;
    }

    static int Depth(Type type) => type.BaseType is null ? 0 : 1 + Depth(type.BaseType);
}
