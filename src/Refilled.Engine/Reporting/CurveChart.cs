using ScottPlot;

namespace Refilled.Engine.Reporting;

/// <summary>Named (x, y) series drawn as lines with markers, e.g. per-epoch validation accuracy of several students.</summary>
public sealed class CurveChart : Chart
{
    private readonly CurveSeries[] series;

    public CurveChart(IEnumerable<CurveSeries> series)
    {
        this.series = series.ToArray();
        if (this.series.Length == 0) throw new ArgumentException("A curve chart needs at least one series.", nameof(series));
        foreach (var s in this.series)
        {
            if (s.X.Count != s.Y.Count)
                throw new ArgumentException($"Series '{s.Name}' has {s.X.Count} x values but {s.Y.Count} y values.", nameof(series));
        }
    }

    public string? XAxisLabel { get; set; }
    public string? YAxisLabel { get; set; }

    private protected override void Draw(Plot plot)
    {
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var (s, i) in series.Select((s, i) => (s, i)))
        {
            var line = plot.Add.Scatter(s.X.ToArray(), s.Y.ToArray(), palette.GetColor(i));
            line.LegendText = s.Name;
            line.LineWidth = 2;
            line.MarkerSize = 6;
        }
        // Epochs are whole numbers; a tick at epoch 2.5 would suggest a measurement that was never taken.
        if (series.All(s => s.X.All(double.IsInteger)))
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (XAxisLabel is not null) plot.XLabel(XAxisLabel);
        if (YAxisLabel is not null) plot.YLabel(YAxisLabel);
        // No corner is free in every run, so the legend lets the lines beneath it show through.
        var legend = plot.ShowLegend(Alignment.LowerRight);
        legend.BackgroundColor = Colors.White.WithAlpha(0.6);
        legend.ShadowFillStyle.IsVisible = false;
    }
}
