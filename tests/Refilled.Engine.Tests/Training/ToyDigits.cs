using Refilled.Engine.Data;

namespace Refilled.Engine.Tests.Training;

/// <summary>A separable 28×28 grayscale set: class c is a bright 8×8 square in quadrant c mod 4, jittered, on noise.</summary>
internal static class ToyDigits
{
    /// <param name="firstClass">The real class id of label 0 (the others follow): a set of digits 5..9 is firstClass 5.</param>
    public static ImageDataset Create(int classes, int perClass, int seed, DatasetSplit split = DatasetSplit.Train, int firstClass = 0)
    {
        var random = new Random(seed);
        var count = classes * perClass;
        var images = new StoredImage[count];
        var labels = new int[count];
        for (var i = 0; i < count; i++)
        {
            var c = i % classes;
            var pixels = new byte[28 * 28];
            for (var p = 0; p < pixels.Length; p++) pixels[p] = (byte)random.Next(0, 40);
            var top = 3 + 12 * (c % 2) + random.Next(-1, 2);
            var left = 3 + 12 * (c / 2 % 2) + random.Next(-1, 2);
            for (var y = top; y < top + 8; y++)
                for (var x = left; x < left + 8; x++) pixels[y * 28 + x] = (byte)random.Next(200, 256);
            images[i] = new StoredImage(pixels, 1, 28, 28);
            labels[i] = c;
        }
        var (train, test) = DatasetCatalog.Transforms(DatasetName.Mnist);
        return new ImageDataset("toy", split, images, labels, Enumerable.Range(0, count).ToArray(),
            Enumerable.Range(firstClass, classes).ToArray(), null, train, test);
    }
}
