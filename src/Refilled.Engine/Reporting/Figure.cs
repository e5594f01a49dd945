using Refilled.Engine.Checkpoints;
using ScottPlot;

namespace Refilled.Engine.Reporting;

/// <summary>One image of one or more charts side by side, e.g. final accuracies next to the learning curves.</summary>
public sealed class Figure
{
    private readonly Chart[] panels;

    public Figure(params IEnumerable<Chart> panels)
    {
        this.panels = panels.ToArray();
        if (this.panels.Length == 0) throw new ArgumentException("A figure needs at least one chart.", nameof(panels));
    }

    public IReadOnlyList<Chart> Panels => panels;

    public byte[] RenderPng(int width, int height)
    {
        if (width < 100 || height < 100)
            throw new ArgumentOutOfRangeException(nameof(width), $"A figure must be at least 100×100 pixels, not {width}×{height}.");
        var multiplot = new Multiplot(panels[0].CreatePlot()) { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        foreach (var panel in panels.Skip(1)) multiplot.AddPlot(panel.CreatePlot());
        using var image = multiplot.Render(width, height);
        return image.GetImageBytes(ImageFormat.Png);
    }

    /// <summary>Writes the PNG to a temporary file beside the target and renames it, so a reader never sees half an image.</summary>
    public void SavePng(string path, int width, int height) => AtomicFile.WriteAllBytes(path, RenderPng(width, height));
}
