namespace Refilled.Engine.Data;

/// <summary>One file of a dataset download and its published SHA-256 (lower-case hex).</summary>
public sealed record DownloadFile(string FileName, string Sha256, bool IsArchive);
