using Refilled.Engine.Checkpoints;

namespace Refilled.Engine.Tests.Checkpoints;

public sealed class AtomicFileTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("refilled-atomic-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void ATempLeftByAKilledWriterIsDeletedByTheNextWrite()
    {
        var target = Path.Combine(dir, "last.refilled");
        var abandoned = Path.Combine(dir, $".last.refilled.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(abandoned, new byte[1000]);
        var otherTargets = Path.Combine(dir, $".best.refilled.{Guid.NewGuid():N}.tmp");
        File.WriteAllBytes(otherTargets, [1]);

        AtomicFile.WriteAllBytes(target, [1, 2, 3]);

        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(otherTargets));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(target));
    }

    [Fact]
    public void ATempBeingWrittenIsLeftAlone()
    {
        var target = Path.Combine(dir, "metrics.json");
        var live = Path.Combine(dir, $".metrics.json.{Guid.NewGuid():N}.tmp");
        // Another writer, mid-write, holds its temp open as AtomicFile does.
        using (var writer = new FileStream(live, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete))
        {
            AtomicFile.WriteAllBytes(target, [7]);
            Assert.True(File.Exists(live));
        }
        Assert.Equal([7], File.ReadAllBytes(target));
    }
}
