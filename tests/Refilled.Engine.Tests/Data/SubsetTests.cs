using Refilled.Engine.Data;

namespace Refilled.Engine.Tests.Data;

public class SubsetTests
{
    // 10 classes × 20 images, labels cycling 0..9.
    static string Cifar10Folder(TempFolder dir)
    {
        var labels = Enumerable.Range(0, 200).Select(i => i % 10).ToArray();
        for (var i = 1; i <= 5; i++) File.WriteAllBytes(dir.File($"data_batch_{i}.bin"), DataFiles.CifarRecords(labels[((i - 1) * 40)..(i * 40)]));
        File.WriteAllBytes(dir.File("test_batch.bin"), DataFiles.CifarRecords(labels[..50]));
        return dir.Path;
    }

    [Fact]
    public void ClassFilterRemapsInRequestedOrderAndKeepsTheMap()
    {
        using var dir = new TempFolder();
        var data = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Cifar10, Path = Cifar10Folder(dir), Classes = [7, 2, 5] });
        Assert.Equal(60, data.Count);
        Assert.Equal([7, 2, 5], data.Classes);
        Assert.Equal(3, data.NumClasses);
        Assert.Equal(0, data.ClassMap[7]);
        Assert.Equal(1, data.ClassMap[2]);
        Assert.Equal([20, 20, 20], data.LabelCounts);
        for (var i = 0; i < data.Count; i++)
            Assert.Equal(data.Classes[data.Label(i)], data.SourceIndices[i] % 10);
    }

    [Fact]
    public void SamplesPerClassIsSeededAndStratified()
    {
        using var dir = new TempFolder();
        var path = Cifar10Folder(dir);
        DatasetRequest Request(int seed) => new() { Name = DatasetName.Cifar10, Path = path, Classes = [0, 1, 2, 3], SamplesPerClass = 5, Seed = seed };
        var a = DatasetCatalog.Load(Request(1));
        var b = DatasetCatalog.Load(Request(1));
        var c = DatasetCatalog.Load(Request(2));
        Assert.Equal(20, a.Count);
        Assert.Equal([5, 5, 5, 5], a.LabelCounts);
        Assert.Equal(a.SourceIndices, b.SourceIndices);
        Assert.NotEqual(a.SourceIndices, c.SourceIndices);
        var tooMany = Assert.Throws<DatasetRequestException>(() => DatasetCatalog.Load(Request(1).WithK(21)));
        Assert.Equal(("SamplesPerClassTooLarge", (object?)21), (tooMany.ErrorId, tooMany.Value));
    }

    [Fact]
    public void ValidationIsStratifiedDisjointFromTrainAndKComesFromTrain()
    {
        using var dir = new TempFolder();
        var path = Cifar10Folder(dir);
        var train = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Cifar10, Path = path, ValidationFraction = 0.25, Seed = 3 });
        var validation = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Cifar10, Path = path, ValidationFraction = 0.25, Seed = 3, Split = DatasetSplit.Validation });
        Assert.Equal(150, train.Count);
        Assert.Equal(50, validation.Count);
        Assert.All(validation.LabelCounts, n => Assert.Equal(5, n));
        Assert.Empty(train.SourceIndices.Intersect(validation.SourceIndices));
        Assert.Equal(200, train.SourceIndices.Union(validation.SourceIndices).Count());

        var kShot = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Cifar10, Path = path, ValidationFraction = 0.25, Seed = 3, SamplesPerClass = 15, Classes = [4, 6] });
        Assert.Equal(30, kShot.Count);
        Assert.Empty(kShot.SourceIndices.Intersect(validation.SourceIndices));

        // A class's validation part does not depend on which other classes are kept.
        var validationOf4 = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Cifar10, Path = path, ValidationFraction = 0.25, Seed = 3, Split = DatasetSplit.Validation, Classes = [4] });
        Assert.Equal(validation.SourceIndices.Where(i => i % 10 == 4), validationOf4.SourceIndices);
    }

    [Fact]
    public void FewShotValidationIsDisjointFromTheKShotDrawWithNPerClass()
    {
        using var dir = new TempFolder();
        var path = Cifar10Folder(dir);
        DatasetRequest Request(DatasetSplit split, int seed, int? k = 5, int? n = 3) => new()
        {
            Name = DatasetName.Cifar10, Path = path, Split = split, Classes = [6, 0, 3], SamplesPerClass = k, ValidationSamplesPerClass = n, Seed = seed,
        };
        foreach (var seed in new[] { 0, Random.Shared.Next(), Random.Shared.Next() })
        {
            var train = DatasetCatalog.Load(Request(DatasetSplit.Train, seed));
            var validation = DatasetCatalog.Load(Request(DatasetSplit.Validation, seed));
            Assert.Equal([5, 5, 5], train.LabelCounts);
            Assert.Equal([3, 3, 3], validation.LabelCounts);
            Assert.Empty(train.SourceIndices.Intersect(validation.SourceIndices));
            Assert.All(validation.SourceIndices, i => Assert.Contains(i % 10, new[] { 6, 0, 3 }));

            // Reproducible from the seed; the training draw is the plain K-shot draw, the validation draw does not depend on K.
            Assert.Equal(validation.SourceIndices, DatasetCatalog.Load(Request(DatasetSplit.Validation, seed)).SourceIndices);
            Assert.Equal(train.SourceIndices, DatasetCatalog.Load(Request(DatasetSplit.Train, seed, n: null)).SourceIndices);
            Assert.Equal(validation.SourceIndices, DatasetCatalog.Load(Request(DatasetSplit.Validation, seed, k: null)).SourceIndices);
            Assert.NotEqual(validation.SourceIndices, DatasetCatalog.Load(Request(DatasetSplit.Validation, seed + 1)).SourceIndices);

            // Without K, training keeps everything but the validation images.
            var rest = DatasetCatalog.Load(Request(DatasetSplit.Train, seed, k: null));
            Assert.Equal([17, 17, 17], rest.LabelCounts);
            Assert.Equal(60, rest.SourceIndices.Union(validation.SourceIndices).Count());
        }
    }

    [Fact]
    public void FewShotValidationRejectsDrawsThatCannotBeDisjoint()
    {
        using var dir = new TempFolder();
        var path = Cifar10Folder(dir);
        // 20 images per class: 15 training + 6 validation images cannot be disjoint.
        var e = Assert.Throws<DatasetRequestException>(() => DatasetCatalog.Load(new DatasetRequest
        {
            Name = DatasetName.Cifar10, Path = path, Split = DatasetSplit.Validation, Classes = [1], SamplesPerClass = 15, ValidationSamplesPerClass = 6,
        }));
        Assert.Contains("SamplesPerClass 15 + ValidationSamplesPerClass 6 need 21", e.Message);
        e = Assert.Throws<DatasetRequestException>(() => DatasetCatalog.Load(new DatasetRequest
        {
            Name = DatasetName.Cifar10, Path = path, Classes = [1], ValidationFraction = 0.2, ValidationSamplesPerClass = 2,
        }));
        Assert.Contains("not both", e.Message);
        Assert.Equal("ValidationConflict", e.ErrorId);
    }

    [Fact]
    public void RejectsUnknownOrRepeatedClasses()
    {
        using var dir = new TempFolder();
        var path = Cifar10Folder(dir);
        var unknown = Assert.Throws<DatasetRequestException>(() => DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Cifar10, Path = path, Classes = [5, 10, 12] }));
        Assert.Equal("ClassOutOfRange", unknown.ErrorId);
        Assert.Equal([10, 12], (int[])unknown.Value!);
        Assert.DoesNotContain("Parameter", unknown.Message);
        Assert.Equal("DuplicateClass", Assert.Throws<DatasetRequestException>(() =>
            DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Cifar10, Path = path, Classes = [1, 1] })).ErrorId);
    }

    [Fact]
    public void RejectsARequestedClassWithoutImages()
    {
        using var dir = new TempFolder();
        var path = Cifar10Folder(dir);
        // 20 images per class: a 1% validation split leaves classes 3 and 4 with none.
        var e = Assert.Throws<DatasetRequestException>(() => DatasetCatalog.Load(new DatasetRequest
        {
            Name = DatasetName.Cifar10, Path = path, Split = DatasetSplit.Validation, Classes = [3, 4], ValidationFraction = 0.01,
        }));
        Assert.Contains("raise ValidationFraction", e.Message);
    }
}

static class DatasetRequestCopy
{
    public static DatasetRequest WithK(this DatasetRequest r, int k) => new()
    {
        Name = r.Name, Path = r.Path, Split = r.Split, Classes = r.Classes, SamplesPerClass = k,
        ValidationFraction = r.ValidationFraction, ValidationSamplesPerClass = r.ValidationSamplesPerClass, Seed = r.Seed, CoarseLabels = r.CoarseLabels,
    };
}
