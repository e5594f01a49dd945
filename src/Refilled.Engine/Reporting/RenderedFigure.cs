namespace Refilled.Engine.Reporting;

/// <summary>A figure rendered to PNG with the geometry of each of its panels, left to right.</summary>
public sealed record RenderedFigure(byte[] Png, int Width, int Height, IReadOnlyList<PanelGeometry> Panels);
