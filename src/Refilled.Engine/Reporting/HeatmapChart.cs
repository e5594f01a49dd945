using System.Globalization;
using ScottPlot;

namespace Refilled.Engine.Reporting;

/// <summary>
/// A labelled grid of values, e.g. mean validation accuracy over a λ × τ2 sweep, with each cell's value printed.
/// NaN marks a cell that was not measured; it stays blank.
/// </summary>
public sealed class HeatmapChart : Chart
{
    private readonly double[,] values;
    private readonly string[] rowLabels;
    private readonly string[] columnLabels;

    /// <param name="values">values[row, column]; row 0 is drawn at the top.</param>
    public HeatmapChart(double[,] values, IReadOnlyList<string> rowLabels, IReadOnlyList<string> columnLabels)
    {
        if (values.GetLength(0) != rowLabels.Count || values.GetLength(1) != columnLabels.Count)
            throw new ArgumentException(
                $"The values are {values.GetLength(0)}×{values.GetLength(1)} but there are {rowLabels.Count} row and {columnLabels.Count} column labels.",
                nameof(values));
        if (values.Length == 0) throw new ArgumentException("A heatmap needs at least one cell.", nameof(values));
        this.values = (double[,])values.Clone();
        this.rowLabels = rowLabels.ToArray();
        this.columnLabels = columnLabels.ToArray();
    }

    public string? RowAxisLabel { get; set; }
    public string? ColumnAxisLabel { get; set; }
    public string ValueFormat { get; set; } = "0.###";

    private protected override void Draw(Plot plot)
    {
        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap);

        int rows = values.GetLength(0), columns = values.GetLength(1);
        // ScottPlot centres cell (r, c) on x = c, y = rows − 1 − r.
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                if (double.IsNaN(values[r, c])) continue;
                var text = plot.Add.Text(values[r, c].ToString(ValueFormat, CultureInfo.InvariantCulture), c, rows - 1 - r);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontColor = Colors.White;
                text.LabelBackgroundColor = Colors.Black.WithAlpha(0.4);
                text.LabelFontSize = 14;
            }
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            columnLabels.Select((label, c) => new Tick(c, label)).ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            rowLabels.Select((label, r) => new Tick(rows - 1 - r, label)).ToArray());
        if (ColumnAxisLabel is not null) plot.XLabel(ColumnAxisLabel);
        if (RowAxisLabel is not null) plot.YLabel(RowAxisLabel);
        plot.HideGrid();
        plot.Axes.Margins(0, 0);
    }
}
