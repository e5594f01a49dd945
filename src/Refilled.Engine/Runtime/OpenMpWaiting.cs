using System.Runtime.InteropServices;

namespace Refilled.Engine.Runtime;

/// <summary>
/// How libtorch's idle OpenMP workers wait for the next parallel region. libgomp's default spins for ~300,000 iterations
/// (milliseconds) first. A small network's step is hundreds of short parallel regions with serial work between them; on
/// a machine whose cores other processes share, the spinning workers take the CPU time the thread with work needs: the
/// quickstart (smallcnn, 2 threads, load average ~10 on 2 cores) took 65 s with spinning against 7.3 s with PASSIVE
/// (idle workers sleep at once). libgomp reads the policy once, when it is loaded, so call this before the first tensor.
/// </summary>
public static partial class OpenMpWaiting
{
    const string Policy = "OMP_WAIT_POLICY";

    /// <summary>
    /// Sets OMP_WAIT_POLICY=PASSIVE in the native environment unless the user chose a policy or a spin count (kept as
    /// given). True when it was set; it only takes effect if libtorch was not loaded yet.
    /// </summary>
    public static bool PreferPassive()
    {
        if (!OperatingSystem.IsLinux()) return false;
        // The managed copy of the environment is the process's own at start-up: what the user set.
        if (Environment.GetEnvironmentVariable(Policy) != null || Environment.GetEnvironmentVariable("GOMP_SPINCOUNT") != null) return false;
        // Environment.SetEnvironmentVariable only changes .NET's copy; libgomp reads the C library's.
        return setenv(Policy, "PASSIVE", 0) == 0;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
