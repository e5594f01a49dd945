using Refilled.Engine.Experiments;

namespace Refilled.Engine.Tests.Experiments;

/// <summary>A sweep's tasks start the same PowerShell that loaded the module: the clone's local tool, or an installed pwsh.</summary>
public sealed class SweepLauncherTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("refilled-launcher-").FullName;
    readonly string elsewhere = Path.GetTempPath();

    public void Dispose() => Directory.Delete(dir, recursive: true);

    string Folder(params string[] parts) => Directory.CreateDirectory(Path.Combine([dir, .. parts])).FullName;

    [Fact]
    public void AModuleBuiltInACloneStartsTheLocalToolFromTheRepositoryRoot()
    {
        var repository = Folder("clone");
        File.WriteAllText(Path.Combine(repository, "dotnet-tools.json"), "{}");
        var module = Folder("clone", "out", "Refilled");

        Assert.Equal(new SweepLauncher("dotnet pwsh", repository), SweepLauncher.For(module, elsewhere));
        Assert.Equal(new SweepLauncher("dotnet pwsh", repository), SweepLauncher.For(module + Path.DirectorySeparatorChar, elsewhere));
    }

    [Fact]
    public void AnInstalledModuleStartsPwshFromTheCurrentFolder()
    {
        var module = Folder("home", ".local", "share", "powershell", "Modules", "Refilled", "0.1.0");
        Assert.Equal(new SweepLauncher("pwsh", elsewhere), SweepLauncher.For(module, elsewhere));
    }

    [Fact]
    public void AnOutFolderWithoutTheToolManifestAboveIsNotAClone()
    {
        var module = Folder("copy", "out", "Refilled");
        Assert.Equal(new SweepLauncher("pwsh", elsewhere), SweepLauncher.For(module, elsewhere));
    }

    [Fact]
    public void AToolManifestAboveAnotherModuleFolderIsNotAClone()
    {
        File.WriteAllText(Path.Combine(Folder("clone"), "dotnet-tools.json"), "{}");
        Assert.Equal(new SweepLauncher("pwsh", elsewhere), SweepLauncher.For(Folder("clone", "out", "Other"), elsewhere));
        Assert.Equal(new SweepLauncher("pwsh", elsewhere), SweepLauncher.For(Folder("clone", "bin", "Refilled"), elsewhere));
    }
}
