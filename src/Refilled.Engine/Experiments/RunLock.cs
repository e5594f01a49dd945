using System.Diagnostics;
using System.Globalization;

namespace Refilled.Engine.Experiments;

/// <summary>
/// run.lock: the process id and host name of whoever is running a run, so that two schedulers never run it twice.
/// A lock of a process that no longer exists on this host is stale and is taken over.
/// </summary>
public sealed class RunLock : IDisposable
{
    readonly string path;

    RunLock(string path) => this.path = path;

    /// <summary>The lock, or null when a live process holds it. <paramref name="warn"/> hears about both cases.</summary>
    public static RunLock? TryAcquire(string folder, Action<string> warn)
    {
        var path = Path.Combine(folder, RunFiles.Lock);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
                using (var writer = new StreamWriter(file))
                    writer.Write($"{Environment.ProcessId}\n{Environment.MachineName}\n{DateTimeOffset.UtcNow:O}\n");
                return new RunLock(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                var (pid, host) = Read(path);
                if (IsAlive(pid, host))
                {
                    warn($"Skipping '{folder}': process {pid} on {host} holds {RunFiles.Lock}.");
                    return null;
                }
                warn($"Taking over '{folder}': its {RunFiles.Lock} belongs to process {pid} on {host}, which no longer runs.");
                File.Delete(path);
            }
        }
        warn($"Skipping '{folder}': another process took its {RunFiles.Lock} first.");
        return null;
    }

    /// <summary>The holder of a lock file, if it can be read.</summary>
    public static (int Pid, string Host) Read(string path)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            return (int.Parse(lines[0], CultureInfo.InvariantCulture), lines.Length > 1 ? lines[1] : "");
        }
        catch (Exception e) when (e is FormatException or IndexOutOfRangeException or IOException)
        {
            // Half-written by a process killed at that instant: nobody can be holding it.
            return (-1, Environment.MachineName);
        }
    }

    /// <summary>True unless the process is known to be gone; another host's process cannot be checked, so it counts as alive.</summary>
    public static bool IsAlive(int pid, string host)
    {
        if (!string.Equals(host, Environment.MachineName, StringComparison.OrdinalIgnoreCase)) return true;
        if (pid <= 0) return false;
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
