using System.Runtime.InteropServices;

namespace Refilled.Engine.Runtime;

/// <summary>
/// glibc's heap under libtorch. By default glibc returns freed pages above a (self-adjusting) threshold to the kernel
/// at once, so every training step faulted its activation buffers in again as fresh zeroed pages: ~4,000 minor faults
/// per stage-1 step at batch 16, and a step time that swung with how busy the kernel was. <see cref="KeepFreedPages"/>
/// keeps them for the next step (about 500 faults), and <see cref="Trim"/> hands free pages back between epochs, so the
/// RSS after an epoch is still the memory actually in use.
/// </summary>
public static partial class NativeHeap
{
    const int TrimThreshold = -1, MmapThreshold = -3;   // mallopt parameters (malloc.h)

    /// <summary>Freed buffers stay in the heap for reuse (up to 1 GiB) instead of going back to the kernel after each step.</summary>
    /// <returns>False where there is no glibc (then it does nothing).</returns>
    public static bool KeepFreedPages() =>
        Glibc(() => mallopt(MmapThreshold, 32 << 20) == 1 && mallopt(TrimThreshold, 1 << 30) == 1);

    /// <summary>Returns free native heap pages to the OS; false where there is no glibc (then it does nothing).</summary>
    public static bool Trim() => Glibc(() =>
    {
        malloc_trim(0);
        return true;
    });

    static bool Glibc(Func<bool> call)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return call();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;   // musl and other libcs: no malloc_trim or mallopt
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int mallopt(int param, int value);
}
