using Refilled.Engine.Methods;
using Refilled.Engine.Training;

namespace Refilled.Engine.Tests;

/// <summary>
/// docs/architecture.md's layout rule, checked: one folder under src/Refilled.Engine/Methods per method (each
/// <see cref="BaselineMethod"/>, REFILLED itself and teacher pretraining), and every recipe in its method's folder.
/// </summary>
public class MethodFolderTests
{
    static readonly string MethodsFolder = Path.Combine(RepositoryLayout.Root, "src", "Refilled.Engine", "Methods");

    /// <summary>Every recipe the engine defines (a concrete <see cref="StageRecipe"/>), with its defaults.</summary>
    static IEnumerable<StageRecipe> Recipes() =>
        typeof(StageRecipe).Assembly.GetTypes()
            .Where(type => type.IsSubclassOf(typeof(StageRecipe)) && !type.IsAbstract)
            .Select(type => (StageRecipe)Activator.CreateInstance(type)!);

    /// <summary>The method a recipe belongs to: a baseline's own name, REFILLED for its two stages, else its stage.</summary>
    static string MethodOf(StageRecipe recipe) => recipe switch
    {
        BaselineRecipe baseline => baseline.Method.ToString(),
        Stage1Recipe or Stage2Recipe => "Refilled",
        _ => recipe.Stage.ToString(),
    };

    static string[] MethodFolders() => Directory.GetDirectories(MethodsFolder).Select(dir => Path.GetFileName(dir)).Order().ToArray();

    [Fact]
    public void EachMethodHasOneFolderAndEachFolderIsAMethod()
    {
        string[] methods = [.. Enum.GetNames<BaselineMethod>(), "Refilled", "Pretraining"];
        Assert.Equal(methods.Order(), MethodFolders());
    }

    [Fact]
    public void EachRecipeLivesInItsMethodsFolderAndEachFolderHoldsARecipe()
    {
        var recipes = Recipes().ToList();
        foreach (var recipe in recipes)
        {
            var name = recipe.GetType().Name;
            var files = Directory.GetFiles(MethodsFolder, name + ".cs", SearchOption.AllDirectories);
            var file = Assert.Single(files);
            Assert.Equal(MethodOf(recipe), Path.GetRelativePath(MethodsFolder, file).Split(Path.DirectorySeparatorChar)[0]);
            Assert.Equal("Refilled.Engine.Methods", recipe.GetType().Namespace);
        }
        Assert.Equal(MethodFolders(), recipes.Select(MethodOf).Distinct().Order());
    }
}
