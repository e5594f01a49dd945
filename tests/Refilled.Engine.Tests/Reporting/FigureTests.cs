using Refilled.Engine.Reporting;
using SkiaSharp;

namespace Refilled.Engine.Tests.Reporting;

public sealed class FigureTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("refilled-chart-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    internal static IntervalChart Accuracies() =>
        new(new[]
        {
            ChartInterval.MeanAndStandardDeviation("100", "Scratch", [0.61, 0.63]),
            ChartInterval.MeanAndStandardDeviation("100", "Refilled", [0.70, 0.74]),
            ChartInterval.MeanAndStandardDeviation("20", "Scratch", [0.42, 0.40, 0.47]),
            ChartInterval.MeanAndStandardDeviation("20", "Refilled", [0.55, 0.58]),
        })
        {
            Title = "Validation accuracy", CategoryName = "K", ValueAxisLabel = "Accuracy", ValueBounds = (0, 1),
        };

    internal static CurveChart Curves() =>
        new(new[]
        {
            new CurveSeries("Scratch seed 0", [1, 2, 3, 4], [0.2, 0.35, 0.41, 0.44]),
            new CurveSeries("Refilled seed 0", [1, 2, 3, 4, 5, 6], [0.1, 0.2, 0.45, 0.52, 0.56, 0.57]),
        })
        {
            Title = "Learning curves", XAxisLabel = "Epoch", YAxisLabel = "Validation accuracy",
        };

    internal static HeatmapChart Sweep() =>
        new(new[,] { { 0.51, 0.55, 0.52 }, { 0.58, double.NaN, 0.56 } }, ["λ=0.1", "λ=1"], ["τ2=1", "τ2=4", "τ2=16"])
        {
            Title = "Sweep", RowAxisLabel = "λ", ColumnAxisLabel = "τ2",
        };

    [Fact]
    public void IntervalChartRendersAPng() => AssertRendersPng(new Figure(Accuracies()), 800, 500);

    [Fact]
    public void CurveChartRendersAPng() => AssertRendersPng(new Figure(Curves()), 640, 480);

    [Fact]
    public void HeatmapChartRendersAPng() => AssertRendersPng(new Figure(Sweep()), 600, 400);

    [Fact]
    public void ChartsSitSideBySideInOneImage()
    {
        var path = AssertRendersPng(new Figure(Accuracies(), Curves(), Sweep()), 1500, 500);
        using var bitmap = SKBitmap.Decode(path);
        // Each third of the image is a chart of its own, so each has its own ink.
        for (var third = 0; third < 3; third++)
            Assert.True(DistinctColours(bitmap, third * 500, 500) > 5, $"panel {third} looks empty");
    }

    [Fact]
    public void SavingReplacesAnExistingFileAndLeavesNoTemporaryFile()
    {
        var path = Path.Combine(folder, "chart.png");
        File.WriteAllText(path, "old");
        new Figure(Curves()).SavePng(path, 400, 300);
        Assert.Equal(0x89, File.ReadAllBytes(path)[0]);
        Assert.Equal(["chart.png"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public void TooSmallAFigureIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Figure(Curves()).RenderPng(10, 300));

    [Fact]
    public void HeatmapLabelsMustMatchTheValues() =>
        Assert.Throws<ArgumentException>(() => new HeatmapChart(new double[2, 3], ["a"], ["x", "y", "z"]));

    [Fact]
    public void CurvesMustHaveAsManyXAsY() =>
        Assert.Throws<ArgumentException>(() => new CurveChart([new CurveSeries("a", [1, 2], [0.5])]));

    private string AssertRendersPng(Figure figure, int width, int height)
    {
        var path = Path.Combine(folder, Guid.NewGuid().ToString("N") + ".png");
        figure.SavePng(path, width, height);
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.Equal(width, bitmap.Width);
        Assert.Equal(height, bitmap.Height);
        Assert.True(DistinctColours(bitmap, 0, width) > 5, "the image is nearly a single colour");
        return path;
    }

    private static int DistinctColours(SKBitmap bitmap, int left, int width)
    {
        var colours = new HashSet<SKColor>();
        for (var y = 0; y < bitmap.Height; y += 2)
            for (var x = left; x < left + width; x += 2)
                colours.Add(bitmap.GetPixel(x, y));
        return colours.Count;
    }
}
