using ScottPlot;

namespace Refilled.Engine.Reporting;

/// <summary>
/// Named (x, y) series drawn as lines with markers, e.g. per-epoch validation accuracy of several students; a series
/// with a band (mean over seeds) gets it shaded, and its runs drawn thin on request. Dashed vertical lines mark where
/// one training stage hands over to the next.
/// </summary>
public sealed class CurveChart : Chart
{
    private readonly CurveSeries[] series;

    public CurveChart(IEnumerable<CurveSeries> series)
    {
        this.series = series.ToArray();
        if (this.series.Length == 0) throw new ArgumentException("A curve chart needs at least one series.", nameof(series));
        foreach (var s in this.series.Concat(this.series.SelectMany(s => s.Runs)))
        {
            if (s.X.Count != s.Y.Count || (s.Low ?? s.Y).Count != s.Y.Count || (s.High ?? s.Y).Count != s.Y.Count)
                throw new ArgumentException($"Series '{s.Name}' has {s.X.Count} x values but {s.Y.Count} y values.", nameof(series));
        }
    }

    public string? XAxisLabel { get; set; }
    public string? YAxisLabel { get; set; }
    /// <summary>Draw each series' <see cref="CurveSeries.Runs"/> as thin lines of its colour under the mean.</summary>
    public bool ShowRuns { get; set; }
    public IReadOnlyList<StageBoundary> Boundaries { get; set; } = [];
    /// <summary>The range the y axis may not leave, e.g. (0, 1) for accuracies; within it the axis fits the data.</summary>
    public (double Min, double Max)? ValueBounds { get; set; }

    private protected override void Draw(Plot plot)
    {
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var (s, i) in series.Select((s, i) => (s, i)))
        {
            var color = palette.GetColor(i);
            if (s.Low is not null && s.High is not null)
            {
                var band = plot.Add.FillY(s.X.ToArray(), s.Low.ToArray(), s.High.ToArray());
                band.FillColor = color.WithAlpha(0.2);
                band.LineWidth = 0;
            }
            if (ShowRuns)
            {
                foreach (var run in s.Runs)
                {
                    var thin = plot.Add.ScatterLine(run.X.ToArray(), run.Y.ToArray(), color.WithAlpha(0.6));
                    thin.LineWidth = 1;
                }
            }
            var line = plot.Add.Scatter(s.X.ToArray(), s.Y.ToArray(), color);
            line.LegendText = s.Name;
            line.LineWidth = 2;
            line.MarkerSize = 6;
        }
        // Epochs are whole numbers; a tick at epoch 2.5 would suggest a measurement that was never taken.
        if (series.All(s => s.X.All(double.IsInteger)))
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (XAxisLabel is not null) plot.XLabel(XAxisLabel);
        if (YAxisLabel is not null) plot.YLabel(YAxisLabel);
        ShowLegendOutside(plot);
        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        if (ValueBounds is var (min, max))
        {
            limits = new AxisLimits(limits.Left, limits.Right, Math.Max(limits.Bottom, min), Math.Min(limits.Top, max));
            plot.Axes.SetLimitsY(limits.Bottom, limits.Top);
        }
        // Labelled inside the plot's top edge, where the title cannot cover it.
        foreach (var boundary in Boundaries.DistinctBy(b => b.X))
        {
            plot.Add.VerticalLine(boundary.X, 1.5f, Colors.Gray, LinePattern.Dashed);
            var label = plot.Add.Text(boundary.Label, boundary.X, limits.Top);
            label.LabelAlignment = Alignment.UpperCenter;
            label.OffsetY = 4;
            label.LabelFontSize = 12;
            label.LabelBackgroundColor = Colors.White.WithAlpha(0.8);
        }
    }
}
