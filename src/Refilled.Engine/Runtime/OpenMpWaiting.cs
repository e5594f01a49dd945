using System.Runtime.InteropServices;

namespace Refilled.Engine.Runtime;

/// <summary>
/// How long libtorch's idle OpenMP workers spin before they sleep until the next parallel region. A training step is
/// hundreds of parallel regions with serial work between them. libgomp's default spins ~300,000 iterations
/// (milliseconds): on a machine whose cores other processes share, the spinning workers take the CPU time the thread
/// with work needs (the quickstart at load ~10 on 2 cores: 65 s against 7.3 s sleeping at once). Sleeping at once
/// (OMP_WAIT_POLICY=PASSIVE) pays a futex wake per region instead: on an idle machine the quickstart took 9.4-11.5 s
/// against 6.7-6.9 s spinning. A short spin, <see cref="SpinCount"/> iterations (microseconds): idle, its median run was
/// 7 % slower than spinning; loaded, as fast as sleeping within the noise (docs/performance.md). libgomp reads these
/// variables once, when it is loaded, so call this before the first tensor.
/// </summary>
public static partial class OpenMpWaiting
{
    /// <summary>The spin count set (GOMP_SPINCOUNT) unless the user chose one or a wait policy.</summary>
    public const int SpinCount = 1000;

    const string Policy = "OMP_WAIT_POLICY";
    const string SpinCountVariable = "GOMP_SPINCOUNT";

    /// <summary>
    /// Sets GOMP_SPINCOUNT=<see cref="SpinCount"/> in the native environment unless the user chose a wait policy or a
    /// spin count (kept as given). True when it was set; it only takes effect if libtorch was not loaded yet.
    /// </summary>
    public static bool PreferShortSpin()
    {
        if (!OperatingSystem.IsLinux()) return false;
        // The managed copy of the environment is the process's own at start-up: what the user set.
        if (Environment.GetEnvironmentVariable(Policy) != null || Environment.GetEnvironmentVariable(SpinCountVariable) != null) return false;
        // Environment.SetEnvironmentVariable only changes .NET's copy; libgomp reads the C library's.
        return setenv(SpinCountVariable, SpinCount.ToString(System.Globalization.CultureInfo.InvariantCulture), 0) == 0;
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);
}
