namespace Refilled.Engine.Runtime;

/// <summary>
/// An exclusive lock on a file that the operating system releases when its process ends, however it ends (kill -9, a
/// Slurm time limit, a node reboot): .NET opens a <see cref="FileShare.None"/> file with flock(LOCK_EX) on Unix, which
/// also holds across the hosts of an NFS share. So nobody ever has to guess whether a lock is stale, and the file is
/// never deleted: deleting a lock file that others may have opened would let two processes lock two different files.
/// The holder's host, process id and Slurm job id are written into the file for people to read; the lock is the handle.
/// </summary>
public sealed class ProcessLock : IDisposable
{
    /// <summary>How long an attempt keeps trying: other processes probe a lock (<see cref="IsHeld"/>) for an instant.</summary>
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    readonly FileStream handle;

    ProcessLock(FileStream handle) => this.handle = handle;

    /// <summary>This process, for logs and lock files: host, process id and, inside a Slurm job, the job and array task.</summary>
    public static string Holder
    {
        get
        {
            var job = Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID") is { Length: > 0 } array
                ? $"{array}_{Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID")}"
                : Environment.GetEnvironmentVariable("SLURM_JOB_ID");
            return $"process {Environment.ProcessId} on {Environment.MachineName}" + (job is { Length: > 0 } ? $" (Slurm job {job})" : "");
        }
    }

    /// <summary>
    /// The lock, or null when another process holds it (after trying for a moment). A link or anything but a regular file
    /// at <paramref name="path"/> is refused (<see cref="UnsafePathException"/>): it would make us write where it points.
    /// </summary>
    public static ProcessLock? TryAcquire(string path)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            if (TryOpen(path) is { } handle)
            {
                handle.SetLength(0);
                using (var writer = new StreamWriter(handle, leaveOpen: true))
                    writer.Write($"Held by {Holder} since {DateTimeOffset.UtcNow:O}.\n");
                handle.Flush();
                return new ProcessLock(handle);
            }
            if (DateTime.UtcNow >= deadline) return null;
            Thread.Sleep(Poll);
        }
    }

    /// <summary>Waits for the lock; <paramref name="waiting"/> hears once that it waits. Null when cancelled.</summary>
    public static ProcessLock? Acquire(string path, Action<string>? waiting, CancellationToken cancel)
    {
        var told = false;
        while (!cancel.IsCancellationRequested)
        {
            if (TryAcquire(path) is { } acquired) return acquired;
            if (!told) waiting?.Invoke($"Waiting for the process that holds '{path}'.");
            told = true;
        }
        return null;
    }

    /// <summary>True when a live process holds the lock. Probes by taking it for an instant, which a holder-to-be outwaits.</summary>
    public static bool IsHeld(string path) => Probe(path) == true;

    /// <summary>
    /// Whether a live process holds the lock; null when this user may not even read the lock file (another user's 0600
    /// lock). Probes read-only with a shared lock, so another user's 0644 lock can be probed too.
    /// </summary>
    public static bool? Probe(string path)
    {
        if (!File.Exists(path)) return false;
        FileStream probe;
        try
        {
            probe = NoFollowFile.Open(path, FileMode.Open, FileAccess.Read);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
        catch (IOException e) when (!OperatingSystem.IsLinux() && e.GetType() == typeof(IOException))
        {
            return true;   // the holder's FileShare.None
        }
        using (probe) return !NoFollowFile.TryLock(probe, shared: true);
    }

    /// <summary>The lock file, opened without following a link and locked; null when another open file holds the lock.</summary>
    static FileStream? TryOpen(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        FileStream file;
        try
        {
            file = NoFollowFile.Open(path, FileMode.OpenOrCreate, FileAccess.ReadWrite);
        }
        catch (IOException e) when (!OperatingSystem.IsLinux() && e.GetType() == typeof(IOException))
        {
            return null;   // the holder's FileShare.None
        }
        if (NoFollowFile.TryLock(file)) return file;
        file.Dispose();
        return null;
    }

    public void Dispose() => handle.Dispose();
}
