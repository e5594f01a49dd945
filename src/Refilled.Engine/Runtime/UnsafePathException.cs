namespace Refilled.Engine.Runtime;

/// <summary>
/// A path where Refilled expects its own regular file (a lock, a log) holds something else: a symbolic link, which
/// another user of a shared folder could point at any file of ours, a FIFO, which would hang the reader, or a device.
/// </summary>
public sealed class UnsafePathException(string path, string problem)
    : IOException($"'{path}' {problem}; Refilled only opens regular files there. Remove it if it is not yours.")
{
    public string Path { get; } = path;
}
