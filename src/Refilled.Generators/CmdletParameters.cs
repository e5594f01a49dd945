using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Refilled.Generators;

/// <summary>
/// The generated parameters of one cmdlet, as source text (strings only, so the incremental pipeline can compare
/// runs), or why they cannot be generated.
/// </summary>
public sealed class CmdletParameters : IEquatable<CmdletParameters>
{
    const string HyperparameterAttribute = "Refilled.Engine.Training.HyperparameterAttribute";
    const string Automation = "global::System.Management.Automation.";

    static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    public string HintName { get; }
    public string Source { get; }
    public string? Error { get; }

    CmdletParameters(string hintName, string source, string? error) => (HintName, Source, Error) = (hintName, source, error);

    /// <summary>One hyperparameter: the recipe property, its attribute's range and switch flag, and the recipe whose fresh instance gives its default.</summary>
    sealed class Key(IPropertySymbol property, double min, double max, bool isSwitch, INamedTypeSymbol recipe)
    {
        public IPropertySymbol Property { get; } = property;
        public INamedTypeSymbol Recipe { get; } = recipe;
        public bool IsSwitch { get; } = isSwitch;
        public double Min { get; } = min;
        public double Max { get; } = max;
        public string Type => IsSwitch ? Automation + "SwitchParameter" : Property.Type.ToDisplayString(TypeFormat);
        public bool HasRange => Min != double.MinValue || Max != double.MaxValue;

        /// <summary>Two recipes may share a key only when the parameter would read the same.</summary>
        public bool SameAs(Key other) => Type == other.Type && Min == other.Min && Max == other.Max;
    }

    public static CmdletParameters For(INamedTypeSymbol cmdlet, AttributeData marker)
    {
        var hintName = cmdlet.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat).Replace("global::", "") + ".g.cs";
        if (marker.ConstructorArguments.FirstOrDefault().Value is not INamedTypeSymbol recipe)
            return new(hintName, "", "the recipe type is missing.");
        var includeDerived = marker.NamedArguments.Any(a => a.Key == "IncludeDerived" && a.Value.Value is true);
        var recipes = includeDerived ? ConcreteSubtypes(recipe) : [recipe];
        if (recipes.Count == 0 || recipes.Any(r => r.IsAbstract))
            return new(hintName, "", $"{recipe.Name} is abstract: name a concrete recipe, or set IncludeDerived.");

        var keys = new List<Key>();
        foreach (var r in recipes)
        {
            foreach (var key in Hyperparameters(r))
            {
                var earlier = keys.FirstOrDefault(k => k.Property.Name == key.Property.Name);
                if (earlier == null) keys.Add(key);
                else if (!earlier.SameAs(key))
                    return new(hintName, "", $"{earlier.Recipe.Name}.{key.Property.Name} and {r.Name}.{key.Property.Name} differ in type or range; one cmdlet parameter cannot take both.");
            }
        }
        return new(hintName, Emit(cmdlet, keys), null);
    }

    /// <summary>The hyperparameters of <paramref name="recipe"/>, base-class ones first, in declaration order.</summary>
    static IEnumerable<Key> Hyperparameters(INamedTypeSymbol recipe)
    {
        var chain = new List<INamedTypeSymbol>();
        for (var t = recipe; t != null; t = t.BaseType) chain.Insert(0, t);
        foreach (var type in chain)
        {
            foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
            {
                var attribute = property.GetAttributes().FirstOrDefault(a => a.AttributeClass?.ToDisplayString() == HyperparameterAttribute);
                if (attribute == null) continue;
                var args = attribute.ConstructorArguments;
                var min = args.Length > 1 ? Convert.ToDouble(args[1].Value, CultureInfo.InvariantCulture) : double.MinValue;
                var max = args.Length > 2 ? Convert.ToDouble(args[2].Value, CultureInfo.InvariantCulture) : double.MaxValue;
                var isSwitch = attribute.NamedArguments.Any(a => a.Key == "Switch" && a.Value.Value is true);
                yield return new Key(property, min, max, isSwitch, recipe);
            }
        }
    }

    /// <summary>The concrete recipes in <paramref name="root"/>'s assembly that derive from it, by name (a stable order).</summary>
    static List<INamedTypeSymbol> ConcreteSubtypes(INamedTypeSymbol root)
    {
        var found = new List<INamedTypeSymbol>();
        void Walk(INamespaceOrTypeSymbol container)
        {
            foreach (var member in container.GetMembers())
            {
                if (member is INamespaceSymbol ns) Walk(ns);
                else if (member is INamedTypeSymbol type)
                {
                    if (!type.IsAbstract && DerivesFrom(type, root)) found.Add(type);
                    Walk(type);
                }
            }
        }
        Walk(root.ContainingAssembly.GlobalNamespace);
        return [.. found.OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    static bool DerivesFrom(INamedTypeSymbol type, INamedTypeSymbol root)
    {
        for (var t = type.BaseType; t != null; t = t.BaseType)
            if (SymbolEqualityComparer.Default.Equals(t, root)) return true;
        return false;
    }

    static string Emit(INamedTypeSymbol cmdlet, IReadOnlyList<Key> keys)
    {
        var s = new StringBuilder();
        s.AppendLine("// <auto-generated/> by Refilled.Generators.RecipeParametersGenerator from the recipes' [Hyperparameter] attributes.");
        s.AppendLine("#nullable enable");
        var ns = cmdlet.ContainingNamespace;
        if (!ns.IsGlobalNamespace) s.AppendLine($"namespace {ns.ToDisplayString()};");
        s.AppendLine();
        s.AppendLine($"partial class {cmdlet.Name}");
        s.AppendLine("{");
        foreach (var recipe in keys.Select(k => k.Recipe).Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default))
            s.AppendLine($"    static readonly {recipe.ToDisplayString(TypeFormat)} {Defaults(recipe)} = new();");
        foreach (var key in keys)
        {
            s.AppendLine();
            s.AppendLine($"    [{Automation}Parameter]");
            if (key.HasRange)
            {
                var integral = IsIntegral(key.Property.Type);
                s.AppendLine($"    [{Automation}ValidateRange({Literal(key.Min, integral)}, {Literal(key.Max, integral)})]");
            }
            s.AppendLine($"    [global::{RecipeParametersGenerator.Namespace}.RecipeParameter(typeof({key.Recipe.ToDisplayString(TypeFormat)}))]");
            s.AppendLine($"    public {key.Type} {key.Property.Name} {{ get; set; }} = {Defaults(key.Recipe)}.{key.Property.Name};");
        }
        s.AppendLine("}");
        return s.ToString();
    }

    static string Defaults(INamedTypeSymbol recipe) => recipe.Name + "Defaults";

    /// <summary>Whether the parameter (or its elements) is a whole number: its range is written as int, as PowerShell compares it.</summary>
    static bool IsIntegral(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol array) type = array.ElementType;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable) type = nullable.TypeArguments[0];
        return type.SpecialType is SpecialType.System_Int32;
    }

    static string Literal(double value, bool integral)
    {
        if (integral) return ((int)Math.Max(int.MinValue, Math.Min(int.MaxValue, value))).ToString(CultureInfo.InvariantCulture);
        if (value == double.MinValue) return "double.MinValue";
        if (value == double.MaxValue) return "double.MaxValue";
        return value.ToString("R", CultureInfo.InvariantCulture) + "d";
    }

    public bool Equals(CmdletParameters? other) =>
        other != null && HintName == other.HintName && Source == other.Source && Error == other.Error;

    public override bool Equals(object? obj) => Equals(obj as CmdletParameters);

    public override int GetHashCode() => (HintName + Source + Error).GetHashCode();
}
