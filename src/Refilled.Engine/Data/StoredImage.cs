namespace Refilled.Engine.Data;

/// <summary>One decoded image held in memory as uint8, channel-major (C,H,W).</summary>
public readonly record struct StoredImage(ReadOnlyMemory<byte> Pixels, int Channels, int Height, int Width);
