namespace Refilled.Engine.Tests.Runtime;

/// <summary>
/// How much this process's peak resident memory (VmHWM) grows while an action runs: the peak is reset to the current
/// resident size first (writing 5 to /proc/self/clear_refs), so earlier tests do not hide a new peak.
/// </summary>
internal static class PeakMemory
{
    public static long GrowthOf(Action action)
    {
        GC.Collect();
        File.WriteAllText("/proc/self/clear_refs", "5");
        var before = HighWaterMark();
        action();
        return HighWaterMark() - before;
    }

    static long HighWaterMark() =>
        long.Parse(File.ReadLines("/proc/self/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
}
