using System.Runtime.InteropServices;

namespace Refilled.Engine.Runtime;

/// <summary>
/// glibc keeps the pages of freed libtorch buffers in its arenas (one per thread that allocated: the caller, the
/// OpenMP workers, the loader's workers), so between epochs the RSS drifts by ±5% with no live tensor added.
/// Trimming hands those free pages back to the kernel, so the RSS after an epoch is the memory actually in use.
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>Returns free native heap pages to the OS; false where there is no glibc (then it does nothing).</summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            malloc_trim(0);
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;   // musl and other libcs: no malloc_trim
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);
}
