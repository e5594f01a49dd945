using System.Security.Cryptography;
using Refilled.Engine.Tests.Data;
using Refilled.Engine.Tests.Distillation;
using Refilled.Engine.Tests.Networks;
using Xunit.Sdk;

namespace Refilled.Engine.Tests;

/// <summary>The golden fixtures are in the repository, unchanged, and the tests over them cannot pass vacuously.</summary>
public class GoldenFixtureTests
{
    [Fact]
    public void EveryFixtureFileMatchesTheManifest()
    {
        var dir = RepositoryLayout.FixtureGoldenDir;
        var manifest = File.ReadAllLines(RepositoryLayout.GoldenManifest)
            .Where(line => line.Length > 0)
            .Select(line => line.Split("  ", 2))
            .ToDictionary(parts => parts[1], parts => parts[0], StringComparer.Ordinal);
        var files = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(manifest.Keys.Order(StringComparer.Ordinal), files);
        foreach (var (file, sha) in manifest)
        {
            using var stream = File.OpenRead(Path.Combine(dir, file));
            Assert.True(sha == Convert.ToHexStringLower(SHA256.HashData(stream)), $"{file} differs from its SHA-256 in {RepositoryLayout.GoldenManifest}");
        }
    }

    [Fact]
    public void DefaultGoldenFoldersLieInsideTheRepository()
    {
        Assert.Equal(Path.Combine(RepositoryLayout.Root, "tests", "fixtures", "golden"), RepositoryLayout.ResolveGoldenDir(null));
        Assert.Equal(Path.Combine(RepositoryLayout.Root, "tests", "fixtures", "golden", "nets"), RepositoryLayout.ResolveGoldenNetsDir(""));
    }

    [Fact]
    public void EachOverrideMovesOnlyItsOwnFolder()
    {
        Assert.Equal("/elsewhere/golden", RepositoryLayout.ResolveGoldenDir("/elsewhere/golden"));
        Assert.Equal(Path.Combine(RepositoryLayout.FixtureGoldenDir, "nets"), RepositoryLayout.ResolveGoldenNetsDir(null));
        Assert.Equal("/elsewhere/nets", RepositoryLayout.ResolveGoldenNetsDir("/elsewhere/nets"));
    }

    [Fact]
    public void AnEmptyGoldenFolderFailsTheDataDrivenTests()
    {
        using var empty = new TempFolder();
        var cases = Assert.ThrowsAny<XunitException>(() => GoldenCase.Names(empty.Path));
        Assert.Contains(empty.Path, cases.Message);
        var nets = Assert.ThrowsAny<XunitException>(() => GoldenNetCase.All(empty.Path));
        Assert.Contains(empty.Path, nets.Message);
    }
}
