using ScottPlot;

namespace Refilled.Engine.Reporting;

/// <summary>One panel of a <see cref="Figure"/>: a titled plot that knows how to draw itself with ScottPlot.</summary>
public abstract class Chart
{
    public string? Title { get; set; }

    /// <summary>A fresh ScottPlot plot of this chart; a figure asks for one each time it renders.</summary>
    internal Plot CreatePlot()
    {
        var plot = new Plot();
        if (!string.IsNullOrEmpty(Title)) plot.Title(Title);
        Draw(plot);
        return plot;
    }

    private protected abstract void Draw(Plot plot);

    /// <summary>Legends go beside the plot area, never over the data they label.</summary>
    private protected static void ShowLegendOutside(Plot plot) => plot.ShowLegend(Edge.Right);

    /// <summary>Where the last render of <paramref name="plot"/> put its plot area, legend and value axis.</summary>
    internal static PanelGeometry Measure(Plot plot)
    {
        var render = plot.RenderManager.LastRender;
        var data = render.DataRect;
        var limits = plot.Axes.GetLimits();
        return new PanelGeometry(new PixelBox(data.Left, data.Top, data.Right, data.Bottom), LegendBox(plot, render),
            limits.Bottom, limits.Top, plot.Axes.Left.Label.Text);
    }

    /// <summary>The legend's panel beside the plot area, or the box of a legend drawn inside it; null when there is none.</summary>
    static PixelBox? LegendBox(Plot plot, RenderDetails render)
    {
        var data = render.DataRect;
        if (plot.Axes.GetPanels().OfType<ScottPlot.Panels.LegendPanel>().FirstOrDefault(p => p.IsVisible) is { } panel &&
            render.Layout.PanelOffsets.TryGetValue(panel, out var offset) && render.Layout.PanelSizes.TryGetValue(panel, out var size))
        {
            return panel.Edge switch
            {
                Edge.Right => new PixelBox(data.Right + offset, data.Top, data.Right + offset + size, data.Bottom),
                Edge.Left => new PixelBox(data.Left - offset - size, data.Top, data.Left - offset, data.Bottom),
                Edge.Top => new PixelBox(data.Left, data.Top - offset - size, data.Right, data.Top - offset),
                _ => new PixelBox(data.Left, data.Bottom + offset, data.Right, data.Bottom + offset + size),
            };
        }
        var legend = plot.Legend;
        var box = legend.LastRenderSize;
        // An empty legend is not drawn: ScottPlot leaves its size NaN or 0.
        if (!legend.IsVisible || !(box.Width > 0 && box.Height > 0)) return null;
        // ScottPlot aligns an inner legend to a corner or edge of the plot area, inset by its margin.
        var name = legend.Alignment.ToString();
        var left = name.EndsWith("Left") ? data.Left + legend.Margin.Left
            : name.EndsWith("Right") ? data.Right - legend.Margin.Right - box.Width
            : data.HorizontalCenter - box.Width / 2;
        var top = name.StartsWith("Upper") ? data.Top + legend.Margin.Top
            : name.StartsWith("Lower") ? data.Bottom - legend.Margin.Bottom - box.Height
            : data.VerticalCenter - box.Height / 2;
        return new PixelBox(left, top, left + box.Width, top + box.Height);
    }
}
