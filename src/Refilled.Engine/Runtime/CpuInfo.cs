namespace Refilled.Engine.Runtime;

/// <summary>What /proc/cpuinfo says about the first CPU (empty off Linux).</summary>
public static class CpuInfo
{
    const string Path = "/proc/cpuinfo";

    public static string Model => Field("model name") ?? "unknown";

    /// <summary>The instruction set extensions the kernel enabled ("flags" on x86, "Features" on Arm).</summary>
    public static IReadOnlySet<string> Flags { get; } =
        (Field("flags") ?? Field("Features") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();

    static string? Field(string name)
    {
        if (!File.Exists(Path)) return null;
        var line = File.ReadLines(Path).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal) && l.Contains(':'));
        return line?[(line.IndexOf(':') + 1)..].Trim();
    }
}
