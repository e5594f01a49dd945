using System.Diagnostics;
using Refilled.Engine.Data;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Data;

public class LoaderTests
{
    static ImageDataset Cifar(TempFolder dir, int count)
    {
        var labels = Enumerable.Range(0, count).Select(i => i % 100).ToArray();
        File.WriteAllBytes(dir.File("train.bin"), DataFiles.CifarRecords(labels, coarse: labels.Select(l => l / 5).ToArray()));
        File.WriteAllBytes(dir.File("test.bin"), DataFiles.CifarRecords([0], coarse: [0]));
        return DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Cifar100, Path = dir.Path });
    }

    [Fact]
    public void BatchesCoverTheDatasetWithDropLastAndShapes()
    {
        using var dir = new TempFolder();
        var data = Cifar(dir, 50);
        using var scope = NewDisposeScope();
        var keep = new DataLoader(data, 16, shuffle: true, dropLast: false, augment: true, seed: 1).ToList();
        Assert.Equal([16, 16, 16, 2], keep.Select(b => b.Count));
        Assert.Equal(new long[] { 16, 3, 32, 32 }, keep[0].Images.shape);
        Assert.Equal(ScalarType.Float32, keep[0].Images.dtype);
        var labels = keep.SelectMany(b => b.Labels.data<long>().ToArray()).Order();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (long)(i % 100)).Order(), labels);
        var drop = new DataLoader(data, 16, shuffle: true, dropLast: true, augment: false, seed: 1);
        Assert.Equal(3, drop.BatchCount);
        Assert.Equal(3, drop.Count());
    }

    [Fact]
    public void SameSeedAndEpochGiveIdenticalBatches()
    {
        using var dir = new TempFolder();
        var data = Cifar(dir, 40);
        using var scope = NewDisposeScope();
        var a = new DataLoader(data, 8, true, false, true, seed: 9, epoch: 2).ToList();
        var b = new DataLoader(data, 8, true, false, true, seed: 9, epoch: 2).ToList();
        var c = new DataLoader(data, 8, true, false, true, seed: 9, epoch: 3).ToList();
        for (var i = 0; i < a.Count; i++)
        {
            Assert.True(a[i].Images.eq(b[i].Images).all().item<bool>());
            Assert.True(a[i].Labels.eq(b[i].Labels).all().item<bool>());
        }
        Assert.False(a[0].Labels.eq(c[0].Labels).all().item<bool>() && a[1].Labels.eq(c[1].Labels).all().item<bool>());
        var unshuffled = new DataLoader(data, 8, false, false, false, 0).First();
        Assert.Equal(Enumerable.Range(0, 8).Select(i => (long)i), unshuffled.Labels.data<long>().ToArray());
    }

    [Fact]
    public void BatchTensorsJoinTheCallersScope()
    {
        using var dir = new TempFolder();
        var data = Cifar(dir, 20);
        var batches = new List<Batch>();
        using (var scope = NewDisposeScope())
        {
            foreach (var batch in new DataLoader(data, 4, true, false, true, 0)) batches.Add(batch);
        }
        Assert.All(batches, b => Assert.True(b.Images.IsInvalid && b.Labels.IsInvalid));
    }
}
