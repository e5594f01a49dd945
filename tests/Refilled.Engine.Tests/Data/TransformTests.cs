using Refilled.Engine.Data;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Data;

public class TransformTests
{
    static StoredImage Ramp(int c, int h, int w) =>
        new(Enumerable.Range(0, c * h * w).Select(i => (byte)(i % 256)).ToArray(), c, h, w);

    [Fact]
    public void CifarTrainShiftsWithZeroFillAndFlips()
    {
        var (train, _) = DatasetCatalog.Transforms(DatasetName.Cifar100);
        var source = Ramp(3, 32, 32);
        var seen = new HashSet<string>();
        for (var seed = 0; seed < 200; seed++)
        {
            var output = new byte[3072];
            train.Apply(source, output, new Random(seed));
            // Each output row is a (possibly mirrored) shifted source row, or zeros.
            var row0 = output.AsSpan(0, 32).ToArray();
            seen.Add(row0.All(b => b == 0) ? "zero" : "data");
        }
        Assert.Contains("zero", seen);
        Assert.Contains("data", seen);
        var same = new byte[3072];
        var again = new byte[3072];
        train.Apply(source, same, new Random(5));
        train.Apply(source, again, new Random(5));
        Assert.Equal(same, again);
    }

    [Fact]
    public void ShiftFlipMatchesPaddedCropDefinition()
    {
        var t = new ShiftFlipTransform(1, 4, 4, 1, true, ChannelNormalisation.Mnist);
        var source = Ramp(1, 4, 4);
        for (var seed = 0; seed < 50; seed++)
        {
            var output = new byte[16];
            var probe = new Random(seed);
            var dy = probe.Next(-1, 2); var dx = probe.Next(-1, 2); var mirror = probe.Next(2) == 1;
            t.Apply(source, output, new Random(seed));
            for (var y = 0; y < 4; y++)
                for (var x = 0; x < 4; x++)
                {
                    var cx = mirror ? 3 - x : x;
                    var (sy, sx) = (y + dy, cx + dx);
                    var expected = sy is >= 0 and < 4 && sx is >= 0 and < 4 ? source.Pixels.Span[sy * 4 + sx] : 0;
                    Assert.Equal(expected, output[y * 4 + x]);
                }
        }
    }

    /// <summary>Apply is Render(Draw): the numbered variants are the outcomes Apply draws, each a different image.</summary>
    [Fact]
    public void FiniteTransformsNumberEveryOutcomeApplyCanDraw()
    {
        var t = new ShiftFlipTransform(1, 4, 4, 1, true, ChannelNormalisation.Mnist);
        Assert.Equal(3 * 3 * 2, t.VariantCount);
        var source = Ramp(1, 4, 4);
        var drawn = new HashSet<int>();
        for (var seed = 0; seed < 200; seed++)
        {
            var applied = new byte[16];
            var rendered = new byte[16];
            t.Apply(source, applied, new Random(seed));
            var variant = t.Draw(new Random(seed));
            t.Render(source, rendered, variant);
            Assert.Equal(applied, rendered);
            drawn.Add(variant);
        }
        Assert.Equal(Enumerable.Range(0, t.VariantCount), drawn.Order());
        var images = Enumerable.Range(0, t.VariantCount).Select(v =>
        {
            var output = new byte[16];
            t.Render(source, output, v);
            return Convert.ToHexString(output);
        });
        Assert.Equal(t.VariantCount, images.Distinct().Count());
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Render(source, new byte[16], t.VariantCount));
        Assert.Throws<ArgumentOutOfRangeException>(() => t.Render(source, new byte[16], -1));

        // Photos: the random resized crop has no numbered outcomes, the centre crop one.
        var (photoTrain, crop) = DatasetCatalog.Transforms(DatasetName.Cub200);
        Assert.Equal(1, Assert.IsAssignableFrom<IFiniteImageTransform>(crop).VariantCount);
        Assert.False(photoTrain is IFiniteImageTransform);
    }

    [Fact]
    public void NormalisationGivesKnownValues()
    {
        using var scope = NewDisposeScope();
        var bytes = tensor(new byte[] { 0, 255, 128, 0, 255, 128 }, [1, 3, 1, 2]);
        var x = ChannelNormalisation.Cifar.Apply(bytes);
        Assert.Equal(ScalarType.Float32, x.dtype);
        var v = x.data<float>().ToArray();
        Assert.Equal(-0.5071f / 0.2675f, v[0], 4);
        Assert.Equal((1 - 0.5071f) / 0.2675f, v[1], 4);
        Assert.Equal((128 / 255f - 0.4867f) / 0.2565f, v[2], 4);
        Assert.Equal((128 / 255f - 0.4408f) / 0.2761f, v[5], 4);
    }

    [Fact]
    public void MnistBatchStatisticsMatchTheNormalisation()
    {
        using var dir = new TempFolder();
        DataFiles.Idx(dir.Path, "train", Enumerable.Range(0, 64).Select(i => i % 10).ToArray());
        var data = DatasetCatalog.Load(new DatasetRequest { Name = DatasetName.Mnist, Path = dir.Path });
        using var scope = NewDisposeScope();
        var batch = data.GetBatch([.. Enumerable.Range(0, 64)], augment: false, seed: 0);
        Assert.Equal(new long[] { 64, 1, 28, 28 }, batch.Images.shape);
        Assert.Equal(ScalarType.Int64, batch.Labels.dtype);
        // Undo the normalisation: x·0.3081 + 0.1307 is the [0,1] pixel.
        var raw = batch.Images * 0.3081 + 0.1307;
        var mean = data.Enumerable().Average();
        Assert.Equal(mean / 255.0, raw.mean().item<float>(), 4);
        Assert.Equal(DataFiles.Pixel(3, 100) / 255f, raw[3, 0, 3, 16].item<float>(), 4);
    }

    [Fact]
    public void PhotoTransformsCropTo224()
    {
        var (train, test) = DatasetCatalog.Transforms(DatasetName.Cub200);
        var source = new StoredImage(Enumerable.Repeat((byte)77, 3 * 256 * 300).ToArray(), 3, 256, 300);
        var output = new byte[3 * 224 * 224];
        for (var seed = 0; seed < 20; seed++)
        {
            train.Apply(source, output, new Random(seed));
            Assert.All(output, b => Assert.Equal(77, b));
        }
        var ramp = Ramp(3, 256, 300);
        test.Apply(ramp, output, new Random(0));
        // Centre crop: top = 16, left = 38.
        Assert.Equal(ramp.Pixels.Span[16 * 300 + 38], output[0]);
        Assert.Equal(ramp.Pixels.Span[256 * 300 + (16 + 5) * 300 + 38 + 7], output[224 * 224 + 5 * 224 + 7]);
        for (var seed = 0; seed < 200; seed++)
        {
            var (top, left, h, w) = RandomResizedCropTransform.CropBox(256, 300, new Random(seed));
            Assert.InRange(top + h, 1, 256);
            Assert.InRange(left + w, 1, 300);
            Assert.InRange(h * w, 0.07 * 256 * 300, 256 * 300);
        }
    }
}

static class ImageDatasetPixels
{
    public static IEnumerable<double> Enumerable(this ImageDataset data)
    {
        for (var i = 0; i < data.Count; i++)
            foreach (var b in data.Image(i).Pixels.ToArray()) yield return b;
    }
}
