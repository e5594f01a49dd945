namespace Refilled.Engine.Tests;

/// <summary>Where the tests find the repository and its golden fixtures (tests/fixtures/golden).</summary>
internal static class RepositoryLayout
{
    public static string Root { get; } = FindRoot();

    /// <summary>The golden fixtures kept in the repository; their SHA-256 sums are in <see cref="GoldenManifest"/>.</summary>
    public static string FixtureGoldenDir => Path.Combine(Root, "tests", "fixtures", "golden");

    public static string GoldenManifest => Path.Combine(Root, "tests", "fixtures", "golden.sha256");

    /// <summary>REFILLED_GOLDEN_DIR, else the golden fixtures in the repository.</summary>
    public static string GoldenDir => ResolveGoldenDir(Environment.GetEnvironmentVariable("REFILLED_GOLDEN_DIR"));

    /// <summary>REFILLED_GOLDEN_NETS_DIR, else the nets/ folder of the fixtures in the repository.</summary>
    public static string GoldenNetsDir => ResolveGoldenNetsDir(Environment.GetEnvironmentVariable("REFILLED_GOLDEN_NETS_DIR"));

    // Each override moves only its own folder.
    public static string ResolveGoldenDir(string? overrideDir) =>
        string.IsNullOrEmpty(overrideDir) ? FixtureGoldenDir : overrideDir;

    public static string ResolveGoldenNetsDir(string? overrideDir) =>
        string.IsNullOrEmpty(overrideDir) ? Path.Combine(FixtureGoldenDir, "nets") : overrideDir;

    /// <summary>REFILLED_GOLDEN_BASELINES_DIR, else the repository's tests/fixtures/golden/baselines.</summary>
    public static string GoldenBaselinesDir =>
        Environment.GetEnvironmentVariable("REFILLED_GOLDEN_BASELINES_DIR") is { Length: > 0 } dir
            ? dir
            : Path.Combine(FixtureGoldenDir, "baselines");

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Refilled.PowerShell.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("Refilled.PowerShell.sln not found above " + AppContext.BaseDirectory);
    }
}
