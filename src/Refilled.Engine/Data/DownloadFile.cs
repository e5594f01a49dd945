namespace Refilled.Engine.Data;

/// <summary>
/// One file of a dataset download and its published SHA-256 (lower-case hex). With <paramref name="Sha256OfDecompressed"/>
/// the hash is that of the gunzipped content, so copies recompressed by a redistributor (Debian's) verify too.
/// </summary>
public sealed record DownloadFile(string FileName, string Sha256, bool IsArchive, bool Sha256OfDecompressed = false);
