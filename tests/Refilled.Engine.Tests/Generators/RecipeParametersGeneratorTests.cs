using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Refilled.Engine.Training;
using Refilled.Generators;

namespace Refilled.Engine.Tests.Generators;

/// <summary>
/// Runs the cmdlet-parameter generator on cmdlets over the engine's real recipes, compiles and loads the result, and
/// checks by reflection that every hyperparameter became a parameter with the recipe's name, type, range and default.
/// </summary>
public class RecipeParametersGeneratorTests
{
    /// <summary>Just enough of System.Management.Automation for the generated code to compile and load without PowerShell.</summary>
    const string Automation = """
        namespace System.Management.Automation
        {
            public sealed class ParameterAttribute : Attribute { }
            public sealed class ValidateRangeAttribute(object minRange, object maxRange) : Attribute
            {
                public object MinRange { get; } = minRange;
                public object MaxRange { get; } = maxRange;
            }
            public readonly struct SwitchParameter(bool isPresent)
            {
                public bool IsPresent { get; } = isPresent;
                public static implicit operator SwitchParameter(bool value) => new(value);
            }
        }
        """;

    static readonly Type[] ConcreteRecipes = [.. typeof(StageRecipe).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(StageRecipe)) && !t.IsAbstract).OrderBy(t => t.Name)];

    static (Assembly? Built, IReadOnlyList<Diagnostic> Diagnostics) Generate(string source)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create($"Generated{Guid.NewGuid():N}",
            [CSharpSyntaxTree.ParseText(Automation), CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        CSharpGeneratorDriver.Create(new RecipeParametersGenerator())
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        var diagnostics = generatorDiagnostics.Concat(emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)).ToList();
        return (emitted.Success ? Assembly.Load(image.ToArray()) : null, diagnostics);
    }

    static object? Unwrap(object? value) =>
        value?.GetType().Name == "SwitchParameter" ? value.GetType().GetProperty("IsPresent")!.GetValue(value) : value;

    static void AssertParametersOf(Type cmdlet, Type recipe)
    {
        var instance = Activator.CreateInstance(cmdlet)!;
        var defaults = Activator.CreateInstance(recipe)!;
        var keys = RecipeKey.Of(recipe);
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var name = key.Property.Name;
            var parameter = cmdlet.GetProperty(name);
            Assert.True(parameter != null, $"{cmdlet.Name} has no -{name} for {recipe.Name}'s '{key.Key}'");
            Assert.Contains(parameter.GetCustomAttributes(), a => a.GetType().Name == "ParameterAttribute");
            var isSwitch = key.Property.GetCustomAttribute<HyperparameterAttribute>()!.Switch;
            Assert.Equal(isSwitch ? "SwitchParameter" : key.Property.PropertyType.Name, parameter.PropertyType.Name);
            var expected = key.Property.GetValue(defaults);
            var actual = Unwrap(parameter.GetValue(instance));
            if (expected is IEnumerable sequence) Assert.Equal(sequence, (IEnumerable)actual!);
            else Assert.Equal(expected, actual);
            var range = parameter.GetCustomAttributes().SingleOrDefault(a => a.GetType().Name == "ValidateRangeAttribute");
            if (key.Min == double.MinValue && key.Max == double.MaxValue) Assert.Null(range);
            else
            {
                Assert.NotNull(range);
                var min = range.GetType().GetProperty("MinRange")!.GetValue(range)!;
                var max = range.GetType().GetProperty("MaxRange")!.GetValue(range)!;
                // PowerShell compares a range with the value's type: whole-number parameters get whole-number bounds.
                var element = key.Type.IsArray ? key.Type.GetElementType()! : key.Type;
                Assert.Equal(element == typeof(int) ? typeof(int) : typeof(double), min.GetType());
                Assert.Equal((key.Min, key.Max), (Convert.ToDouble(min), Convert.ToDouble(max)));
            }
        }
    }

    [Fact]
    public void EveryRecipeHyperparameterBecomesAParameterWithItsTypeRangeAndDefault()
    {
        var source = "using Refilled.PowerShell.Commands;\n" + string.Join("\n", ConcreteRecipes.Select(r =>
            $"[RecipeParameters(typeof({r.FullName}))] public sealed partial class {r.Name}Cmdlet {{ }}"));
        var (built, diagnostics) = Generate(source);
        Assert.Empty(diagnostics);
        foreach (var recipe in ConcreteRecipes) AssertParametersOf(built!.GetType($"{recipe.Name}Cmdlet")!, recipe);
        Assert.True(ConcreteRecipes.Length >= 12);
        // A switch where the recipe says so, a plain bool elsewhere.
        var stage2 = built!.GetType("Stage2RecipeCmdlet")!;
        Assert.Equal("SwitchParameter", stage2.GetProperty("DropLast")!.PropertyType.Name);
        Assert.Equal(typeof(bool), stage2.GetProperty("Nesterov")!.PropertyType);
    }

    [Fact]
    public void ACmdletOverDerivedRecipesTakesTheUnionOfTheirHyperparameters()
    {
        var (built, diagnostics) = Generate(
            "[Refilled.PowerShell.Commands.RecipeParameters(typeof(Refilled.Engine.Training.BaselineRecipe), IncludeDerived = true)] public sealed partial class Baselines { }");
        Assert.Empty(diagnostics);
        var baselines = ConcreteRecipes.Where(r => r.IsSubclassOf(typeof(BaselineRecipe))).ToList();
        Assert.True(baselines.Count >= 9);
        foreach (var recipe in baselines) AssertParametersOf(built!.GetType("Baselines")!, recipe);
        var expected = baselines.SelectMany(RecipeKey.Of).Select(k => k.Property.Name).Distinct().Order();
        Assert.Equal(expected, built!.GetType("Baselines")!.GetProperties().Select(p => p.Name).Order());
    }

    [Fact]
    public void RecipesThatDisagreeOnAKeysRangeAreABuildError()
    {
        var (_, diagnostics) = Generate("""
            using Refilled.Engine.Training;
            public abstract class Method { }
            public sealed class Narrow : Method { [Hyperparameter("weight", 0, 1)] public double Weight { get; init; } }
            public sealed class Wide : Method { [Hyperparameter("weight", 0, 2)] public double Weight { get; init; } }
            [Refilled.PowerShell.Commands.RecipeParameters(typeof(Method), IncludeDerived = true)] public sealed partial class Both { }
            """);
        var error = Assert.Single(diagnostics, d => d.Id == "REFILLED001");
        Assert.Contains("Narrow.Weight and Wide.Weight differ in type or range", error.GetMessage());
    }

    [Fact]
    public void AnAbstractRecipeWithoutIncludeDerivedIsABuildError()
    {
        var (_, diagnostics) = Generate(
            "[Refilled.PowerShell.Commands.RecipeParameters(typeof(Refilled.Engine.Training.StageRecipe))] public sealed partial class Any { }");
        Assert.Contains("StageRecipe is abstract", Assert.Single(diagnostics, d => d.Id == "REFILLED001").GetMessage());
    }
}
