using System.Globalization;

namespace Refilled.Engine.Reporting;

/// <summary>A rectangle of a rendered image in pixels, left/top inclusive, e.g. a chart's plot area or its legend.</summary>
public sealed record PixelBox(float Left, float Top, float Right, float Bottom)
{
    /// <summary>True when the two share an area; touching edges do not overlap.</summary>
    public bool Overlaps(PixelBox other) =>
        Left < other.Right && other.Left < Right && Top < other.Bottom && other.Top < Bottom;

    /// <summary>"left top right bottom", whole pixels, as the report writes it into data attributes.</summary>
    public override string ToString() =>
        string.Join(' ', new[] { Left, Top, Right, Bottom }.Select(v => MathF.Round(v).ToString(CultureInfo.InvariantCulture)));
}
