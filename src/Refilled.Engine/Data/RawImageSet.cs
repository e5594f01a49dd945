namespace Refilled.Engine.Data;

/// <summary>A whole split as a reader returns it: images with their original label ids.</summary>
internal sealed record RawImageSet(IReadOnlyList<StoredImage> Images, int[] Labels, int ClassCount, IReadOnlyList<string>? ClassNames = null);
