using Refilled.Engine.Data;
using SkiaSharp;

namespace Refilled.Engine.Tests.Data;

public class ReaderTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MnistIdxGivesCountsLabelsAndPixels(bool gzip)
    {
        using var dir = new TempFolder();
        DataFiles.Idx(dir.Path, "train", [3, 1, 4, 1, 5], gzip);
        DataFiles.Idx(dir.Path, "t10k", [9, 2], gzip);
        var train = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Mnist, Path = dir.Path });
        Assert.Equal(5, train.Count);
        Assert.Equal(10, train.NumClasses);
        Assert.Equal(new long[] { 1, 28, 28 }, train.ImageShape);
        Assert.Equal([3, 1, 4, 1, 5], Enumerable.Range(0, 5).Select(train.Label));
        var image = train.Image(2).Pixels.Span;
        Assert.Equal(DataFiles.Pixel(2, 0), image[0]);
        Assert.Equal(DataFiles.Pixel(2, 5 * 28 + 17), image[5 * 28 + 17]);
        var test = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Mnist, Path = dir.Path, Split = DatasetSplit.Test });
        Assert.Equal([9, 2], Enumerable.Range(0, 2).Select(test.Label));
    }

    [Fact]
    public void TruncatedIdxNamesFileAndRecord()
    {
        using var dir = new TempFolder();
        DataFiles.Idx(dir.Path, "train", [0, 1, 2, 3]);
        var images = dir.File("train-images-idx3-ubyte");
        var bytes = File.ReadAllBytes(images);
        File.WriteAllBytes(images, bytes[..(16 + 784 * 2 + 100)]);
        var e = Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Mnist, Path = dir.Path }));
        Assert.Equal(images, e.FilePath);
        Assert.Equal(2, e.RecordIndex);
        Assert.Contains("record 2", e.Message);
    }

    [Fact]
    public void BadIdxMagicIsAHeaderError()
    {
        using var dir = new TempFolder();
        DataFiles.Idx(dir.Path, "train", [0]);
        var labels = dir.File("train-labels-idx1-ubyte");
        var bytes = File.ReadAllBytes(labels);
        bytes[3] = 0x42;
        File.WriteAllBytes(labels, bytes);
        var e = Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Mnist, Path = dir.Path }));
        Assert.Equal(-1, e.RecordIndex);
        Assert.Contains("magic", e.Message);
    }

    [Fact]
    public void Cifar100ReadsFineOrCoarseLabelsFromFolderOrParent()
    {
        using var dir = new TempFolder();
        var bin = Directory.CreateDirectory(dir.File("cifar-100-binary")).FullName;
        File.WriteAllBytes(Path.Combine(bin, "train.bin"), DataFiles.CifarRecords([10, 99, 42], coarse: [1, 19, 7]));
        File.WriteAllBytes(Path.Combine(bin, "test.bin"), DataFiles.CifarRecords([5], coarse: [3]));

        var fine = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Cifar100, Path = dir.Path });
        Assert.Equal(100, fine.NumClasses);
        Assert.Equal([10, 99, 42], Enumerable.Range(0, 3).Select(fine.Label));
        Assert.Equal(new long[] { 3, 32, 32 }, fine.ImageShape);
        // CIFAR's binary layout is already C,H,W: byte 1024 + 32·3 + 5 is green, row 3, column 5.
        Assert.Equal(DataFiles.Pixel(1, 1024 + 32 * 3 + 5), fine.Image(1).Pixels.Span[1024 + 32 * 3 + 5]);

        var coarse = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Cifar100, Path = bin, CoarseLabels = true });
        Assert.Equal(20, coarse.NumClasses);
        Assert.Equal([1, 19, 7], Enumerable.Range(0, 3).Select(coarse.Label));

        var test = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Cifar100, Path = bin, Split = DatasetSplit.Test });
        Assert.Equal(1, test.Count);
        Assert.Equal(5, test.Label(0));
    }

    [Fact]
    public void Cifar10ReadsTheFiveTrainingBatches()
    {
        using var dir = new TempFolder();
        for (var i = 1; i <= 5; i++) File.WriteAllBytes(dir.File($"data_batch_{i}.bin"), DataFiles.CifarRecords([i, 9 - i]));
        File.WriteAllBytes(dir.File("test_batch.bin"), DataFiles.CifarRecords([0]));
        var train = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Cifar10, Path = dir.Path });
        Assert.Equal(10, train.Count);
        Assert.Equal([1, 8, 2, 7, 3, 6, 4, 5, 5, 4], Enumerable.Range(0, 10).Select(train.Label));
    }

    [Fact]
    public void TruncatedCifarNamesFileAndRecord()
    {
        using var dir = new TempFolder();
        var bytes = DataFiles.CifarRecords([1, 2, 3], coarse: [0, 0, 0]);
        File.WriteAllBytes(dir.File("train.bin"), bytes[..(3074 * 2 + 1000)]);
        File.WriteAllBytes(dir.File("test.bin"), bytes);
        var e = Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Cifar100, Path = dir.Path }));
        Assert.Equal(dir.File("train.bin"), e.FilePath);
        Assert.Equal(2, e.RecordIndex);
    }

    [Fact]
    public void CubReadsSplitLabelsAndResizesJpegs()
    {
        using var dir = new TempFolder();
        var root = Directory.CreateDirectory(dir.File("CUB_200_2011")).FullName;
        DataFiles.Image(Path.Combine(root, "images", "001.A", "a.jpg"), 300, 200, new SKColor(200, 10, 10));
        DataFiles.Image(Path.Combine(root, "images", "002.B", "b.jpg"), 250, 400, new SKColor(10, 200, 10));
        DataFiles.Image(Path.Combine(root, "images", "002.B", "c.jpg"), 260, 260, new SKColor(10, 10, 200));
        File.WriteAllLines(Path.Combine(root, "images.txt"), ["1 001.A/a.jpg", "2 002.B/b.jpg", "3 002.B/c.jpg"]);
        File.WriteAllLines(Path.Combine(root, "image_class_labels.txt"), ["1 1", "2 2", "3 2"]);
        File.WriteAllLines(Path.Combine(root, "train_test_split.txt"), ["1 1", "2 1", "3 0"]);
        File.WriteAllLines(Path.Combine(root, "classes.txt"), ["1 001.A", "2 002.B"]);

        var train = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Cub200, Path = dir.Path });
        Assert.Equal(2, train.Count);
        Assert.Equal(200, train.NumClasses);
        Assert.Equal([0, 1], Enumerable.Range(0, 2).Select(train.Label));
        Assert.Equal("002.B", train.ClassNames![1]);
        Assert.Equal((256, 384), (train.Image(0).Height, train.Image(0).Width));
        Assert.Equal((410, 256), (train.Image(1).Height, train.Image(1).Width));
        var red = train.Image(0);
        var centre = 128 * red.Width + 192;
        Assert.InRange(red.Pixels.Span[centre], 190, 210);
        Assert.InRange(red.Pixels.Span[red.Height * red.Width + centre], 0, 25);
        Assert.Equal(new long[] { 3, 224, 224 }, train.ImageShape);

        var test = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Cub200, Path = root, Split = DatasetSplit.Test });
        Assert.Equal(1, test.Count);
        Assert.Equal(1, test.Label(0));
    }

    [Fact]
    public void CorruptJpegNamesFileAndRecord()
    {
        using var dir = new TempFolder();
        DataFiles.Image(dir.File("train/cat/a.jpg"), 40, 40, SKColors.Gray);
        var bad = dir.File("train/dog/b.jpg");
        DataFiles.Image(bad, 40, 40, SKColors.White);
        File.WriteAllBytes(bad, File.ReadAllBytes(bad)[..20]);
        Directory.CreateDirectory(dir.File("test"));
        var e = Assert.Throws<DatasetFormatException>(() => DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.ImageFolder, Path = dir.Path }));
        Assert.Equal(bad, e.FilePath);
        Assert.Equal(1, e.RecordIndex);
    }

    [Fact]
    public void ImageFolderUsesSortedSubfoldersAsClasses()
    {
        using var dir = new TempFolder();
        DataFiles.Image(dir.File("zebra/1.png"), 30, 20, SKColors.White);
        DataFiles.Image(dir.File("ant/1.jpg"), 20, 20, SKColors.Black);
        DataFiles.Image(dir.File("ant/2.PNG"), 20, 20, SKColors.Black);
        File.WriteAllText(dir.File("ant/notes.txt"), "not an image");
        var data = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.ImageFolder, Path = dir.Path });
        Assert.Equal(["ant", "zebra"], data.ClassNames!);
        Assert.Equal([0, 0, 1], Enumerable.Range(0, 3).Select(data.Label));
        Assert.Equal(255, data.Image(2).Pixels.Span[0]);
        Assert.Throws<DirectoryNotFoundException>(() => DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.ImageFolder, Path = dir.Path, Split = DatasetSplit.Test }));
    }
}
