namespace Refilled.Engine.Experiments;

/// <summary>
/// How a sweep's tasks start PowerShell with this module. A module built in a clone (&lt;repository&gt;/out/Refilled,
/// with the repository's dotnet-tools.json that brings pwsh as a local tool) starts "dotnet pwsh" from the repository
/// root; an installed module starts "pwsh" from the exporting session's folder. Either imports the module by its path.
/// </summary>
public sealed record SweepLauncher(string Command, string WorkingDirectory)
{
    public static SweepLauncher For(string moduleFolder, string currentDirectory)
    {
        var module = new DirectoryInfo(Path.TrimEndingDirectorySeparator(moduleFolder));
        if (module is { Name: "Refilled", Parent: { Name: "out", Parent: { } repository } } &&
            File.Exists(Path.Combine(repository.FullName, "dotnet-tools.json")))
            return new SweepLauncher("dotnet pwsh", repository.FullName);
        return new SweepLauncher("pwsh", currentDirectory);
    }
}
