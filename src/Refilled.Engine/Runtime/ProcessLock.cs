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

    /// <summary>The lock, or null when another process holds it (after trying for a moment).</summary>
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
    public static bool IsHeld(string path)
    {
        if (!File.Exists(path)) return false;
        using var probe = TryOpen(path, create: false);
        return probe is null && File.Exists(path);
    }

    static FileStream? TryOpen(string path, bool create = true)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            return new FileStream(path, create ? FileMode.OpenOrCreate : FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (IOException e) when (e.GetType() == typeof(IOException))
        {
            // EWOULDBLOCK from flock: another open file holds it.
            return null;
        }
    }

    public void Dispose() => handle.Dispose();
}
