using System.Globalization;
using ScottPlot;

namespace Refilled.Engine.Reporting;

/// <summary>
/// Points with whiskers grouped by category (x axis), one colour per group, on a value axis fitted to the whiskers rather
/// than started at zero, so that differences of a point or two stay visible; the axis never leaves
/// <see cref="ValueBounds"/> (e.g. [0, 1] for an accuracy). An optional reference line (e.g. zero difference) is always in view.
/// </summary>
public sealed class IntervalChart : Chart
{
    private readonly ChartInterval[] points;

    public IntervalChart(IEnumerable<ChartInterval> points)
    {
        this.points = points.ToArray();
        if (this.points.Length == 0) throw new ArgumentException("An interval chart needs at least one point.", nameof(points));
        if (this.points.FirstOrDefault(p => !(p.Lower <= p.Center && p.Center <= p.Upper)) is { } bad)
            throw new ArgumentException($"{bad.Category} {bad.Group}: {bad.Center} is not within [{bad.Lower}, {bad.Upper}].", nameof(points));
    }

    public string? ValueAxisLabel { get; set; }
    /// <summary>Prefix of the tick labels, e.g. "K" gives "K=20".</summary>
    public string? CategoryName { get; set; }
    /// <summary>A horizontal line the axis always includes, e.g. 0 for "no difference".</summary>
    public double? ReferenceLine { get; set; }
    /// <summary>The range the value axis may not leave, e.g. (0, 1) for accuracies.</summary>
    public (double Min, double Max)? ValueBounds { get; set; }

    /// <summary>Numerically when every category is a number (K=20 before K=100), else in order of appearance.</summary>
    public IReadOnlyList<string> Categories
    {
        get
        {
            var categories = points.Select(p => p.Category).Distinct().ToList();
            return categories.All(c => ParseNumber(c) is not null) ? categories.OrderBy(ParseNumber).ToList() : categories;
        }
    }

    /// <summary>In order of appearance, so the caller decides which series comes first.</summary>
    public IReadOnlyList<string> Groups => points.Select(p => p.Group).Distinct().ToList();

    /// <summary>
    /// The shown value range: the whiskers (and reference line) with a margin of a tenth of their span on each side and
    /// room above for the notes, clipped to <see cref="ValueBounds"/>.
    /// </summary>
    public (double Min, double Max) ValueRange()
    {
        var low = points.Min(p => p.Lower);
        var high = points.Max(p => p.Upper);
        if (ReferenceLine is double line) (low, high) = (Math.Min(low, line), Math.Max(high, line));
        // Equal whiskers everywhere (e.g. one seed of a saturated run) still get an axis of some height.
        var span = Math.Max(high - low, Math.Max(Math.Abs(high), 1) * 0.01);
        (low, high) = (low - span * 0.1, high + span * (points.Any(p => p.Note is not null) ? 0.25 : 0.1));
        if (ValueBounds is var (min, max)) (low, high) = (Math.Max(low, min), Math.Min(high, max));
        return (low, high);
    }

    private protected override void Draw(Plot plot)
    {
        var categories = Categories.ToList();
        var groups = Groups;
        var palette = new ScottPlot.Palettes.Category10();
        // One slot per group plus one empty slot between categories.
        var slot = groups.Count + 1;
        foreach (var (group, g) in groups.Select((group, g) => (group, g)))
        {
            var mine = points.Where(p => p.Group == group).ToList();
            var xs = mine.Select(p => (double)(categories.IndexOf(p.Category) * slot + g)).ToArray();
            var color = palette.GetColor(g);
            var bars = plot.Add.ErrorBar(xs, mine.Select(p => p.Center).ToArray(), mine.Select(p => p.Upper - p.Center).ToArray());
            bars.YErrorNegative = mine.Select(p => p.Center - p.Lower).ToArray();
            bars.Color = color;
            bars.LineWidth = 2;
            bars.CapSize = 8;
            var marks = plot.Add.Markers(xs, mine.Select(p => p.Center).ToArray(), MarkerShape.FilledCircle, 9, color);
            // One group needs no key (ScottPlot would draw it over the data): its name goes into the tick labels instead.
            if (groups.Count > 1) marks.LegendText = group;
            foreach (var (p, x) in mine.Zip(xs).Where(px => px.Item1.Note is not null))
            {
                var label = plot.Add.Text(p.Note!, x, p.Upper);
                label.LabelAlignment = Alignment.LowerCenter;
                label.OffsetY = -4;
                label.LabelFontSize = 12;
                label.LabelFontColor = color;
            }
        }
        if (ReferenceLine is double line)
        {
            plot.Add.HorizontalLine(line, 1.5f, Colors.Black, LinePattern.Dashed);
        }
        if (groups.Count > 1) ShowLegendOutside(plot);

        var ticks = categories.Select((category, c) =>
        {
            var name = CategoryName is null ? category : $"{CategoryName}={category}";
            return new Tick(c * slot + (groups.Count - 1) / 2.0, groups.Count == 1 ? $"{name} ({groups[0]})" : name);
        });
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Grid.XAxisStyle.IsVisible = false;
        plot.Axes.SetLimitsX(-1, categories.Count * slot - 1);
        var (low, high) = ValueRange();
        plot.Axes.SetLimitsY(low, high);
        if (ValueAxisLabel is not null) plot.YLabel(ValueAxisLabel);
    }

    private static double? ParseNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>e.g. "0.850 to 0.950" for a caption that states the fitted range.</summary>
    public static string FormatRange((double Min, double Max) range, string format = "0.000") =>
        $"{range.Min.ToString(format, CultureInfo.InvariantCulture)} to {range.Max.ToString(format, CultureInfo.InvariantCulture)}";
}
