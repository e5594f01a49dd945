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

    public byte[] RenderPng(int width, int height) => Render(width, height).Png;

    /// <summary>The PNG and, per panel, where its plot area and legend landed.</summary>
    public RenderedFigure Render(int width, int height)
    {
        if (width < 100 || height < 100)
            throw new ArgumentOutOfRangeException(nameof(width), $"A figure must be at least 100×100 pixels, not {width}×{height}.");
        var plots = panels.Select(p => p.CreatePlot()).ToList();
        var multiplot = new Multiplot(plots[0]) { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        foreach (var plot in plots.Skip(1)) multiplot.AddPlot(plot);
        using var image = multiplot.Render(width, height);
        return new RenderedFigure(image.GetImageBytes(ImageFormat.Png), width, height, plots.Select(Chart.Measure).ToList());
    }

    /// <summary>Writes the PNG to a temporary file beside the target and renames it, so a reader never sees half an image.</summary>
    public RenderedFigure SavePng(string path, int width, int height)
    {
        var rendered = Render(width, height);
        AtomicFile.WriteAllBytes(path, rendered.Png);
        return rendered;
    }
}
