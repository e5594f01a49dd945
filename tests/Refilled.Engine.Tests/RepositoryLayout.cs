namespace Refilled.Engine.Tests;

/// <summary>Where the tests find the repository and the shared golden vectors.</summary>
internal static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>REFILLED_GOLDEN_DIR, else ../shared/golden beside the repository.</summary>
    public static string GoldenDir =>
        Environment.GetEnvironmentVariable("REFILLED_GOLDEN_DIR") is { Length: > 0 } dir
            ? dir
            : Path.GetFullPath(Path.Combine(Root, "..", "shared", "golden"));

    /// <summary>REFILLED_GOLDEN_NETS_DIR, else the nets/ folder of the golden vectors.</summary>
    public static string GoldenNetsDir =>
        Environment.GetEnvironmentVariable("REFILLED_GOLDEN_NETS_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(GoldenDir, "nets");

    /// <summary>REFILLED_GOLDEN_BASELINES_DIR, else the repository's tests/fixtures/golden/baselines.</summary>
    public static string GoldenBaselinesDir =>
        Environment.GetEnvironmentVariable("REFILLED_GOLDEN_BASELINES_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Root, "tests", "fixtures", "golden", "baselines");

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Refilled.PowerShell.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Refilled.PowerShell.sln not found above " + AppContext.BaseDirectory);
    }
}
