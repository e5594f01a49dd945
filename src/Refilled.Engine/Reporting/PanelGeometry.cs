namespace Refilled.Engine.Reporting;

/// <summary>
/// Where a rendered chart put things, as ScottPlot laid them out: the plot (data) area, the legend box if any, and the
/// value axis's shown range and label. A report writes it beside the picture so that a test can check the layout
/// (no legend over the data, an accuracy axis within [0, 1]) without reading pixels.
/// </summary>
public sealed record PanelGeometry(PixelBox PlotArea, PixelBox? Legend, double ValueAxisMin, double ValueAxisMax, string ValueAxisLabel);
