using System.Globalization;
using ScottPlot;

namespace Refilled.Engine.Reporting;

/// <summary>
/// Bars grouped by category (x axis) with one colour per group; each bar is the mean of its samples with ± the
/// sample standard deviation as an error bar, because a single seed's number says little.
/// </summary>
public sealed class GroupedBarChart : Chart
{
    private readonly ChartSample[] samples;

    public GroupedBarChart(IEnumerable<ChartSample> samples)
    {
        this.samples = samples.ToArray();
        if (this.samples.Length == 0) throw new ArgumentException("A bar chart needs at least one sample.", nameof(samples));
    }

    /// <summary>Prefix of the tick labels, e.g. "K" gives "K=20".</summary>
    public string? CategoryName { get; set; }
    public string? ValueAxisLabel { get; set; }
    /// <summary>Print "mean ± std" above each bar.</summary>
    public bool ShowValueLabels { get; set; }
    public string ValueFormat { get; set; } = "0.###";

    /// <summary>Numerically when every category is a number (K=20 before K=100), else in order of appearance.</summary>
    public IReadOnlyList<string> Categories
    {
        get
        {
            var categories = samples.Select(s => s.Category).Distinct().ToList();
            return categories.All(c => ParseNumber(c) is not null)
                ? categories.OrderBy(c => ParseNumber(c)).ToList()
                : categories;
        }
    }

    /// <summary>In order of appearance, so the caller decides which series comes first.</summary>
    public IReadOnlyList<string> Groups => samples.Select(s => s.Group).Distinct().ToList();

    public SampleSummary? Summary(string category, string group)
    {
        var values = samples.Where(s => s.Category == category && s.Group == group).Select(s => s.Value).ToList();
        return values.Count == 0 ? null : SampleSummary.Of(values);
    }

    private protected override void Draw(Plot plot)
    {
        var categories = Categories;
        var groups = Groups;
        var palette = new ScottPlot.Palettes.Category10();
        // One slot per group plus one empty slot between categories.
        var slot = groups.Count + 1;
        var bars = new List<Bar>();
        for (var c = 0; c < categories.Count; c++)
        {
            for (var g = 0; g < groups.Count; g++)
            {
                if (Summary(categories[c], groups[g]) is not { } summary) continue;
                var position = c * slot + g;
                bars.Add(new Bar
                {
                    Position = position,
                    Value = summary.Mean,
                    Error = summary.StandardDeviation,
                    FillColor = palette.GetColor(g),
                });
                if (!ShowValueLabels) continue;
                // Above the error bar rather than the bar top, where the whisker would cross it out.
                var label = plot.Add.Text(FormatSummary(summary), position, summary.Mean + summary.StandardDeviation);
                label.LabelAlignment = Alignment.LowerCenter;
                label.OffsetY = -3;
                label.LabelFontSize = 12;
            }
        }
        plot.Add.Bars(bars);
        foreach (var (group, g) in groups.Select((group, g) => (group, g)))
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = group, FillColor = palette.GetColor(g) });
        plot.ShowLegend(Alignment.UpperLeft);

        var ticks = categories.Select((category, c) =>
            new Tick(c * slot + (groups.Count - 1) / 2.0, CategoryName is null ? category : $"{CategoryName}={category}"));
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks.ToArray());
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Grid.XAxisStyle.IsVisible = false;
        if (ValueAxisLabel is not null) plot.YLabel(ValueAxisLabel);
        // Bars start at zero; leave headroom above the tallest error bar for the legend and labels.
        plot.Axes.Margins(bottom: 0, top: 0.25);
    }

    private string FormatSummary(SampleSummary s) =>
        s.Count == 1
            ? s.Mean.ToString(ValueFormat, CultureInfo.InvariantCulture)
            : $"{s.Mean.ToString(ValueFormat, CultureInfo.InvariantCulture)} ± {s.StandardDeviation.ToString(ValueFormat, CultureInfo.InvariantCulture)}";

    private static double? ParseNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
