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
}
