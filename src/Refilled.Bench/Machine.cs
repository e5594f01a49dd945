using System.Globalization;

namespace Refilled.Bench;

/// <summary>What /proc says about this process and machine.</summary>
internal static class Machine
{
    /// <summary>Resident set size in MB (VmRSS of /proc/self/status), or -1 off Linux.</summary>
    public static double ResidentMegabytes()
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return -1;
        foreach (var line in File.ReadLines(status))
        {
            if (!line.StartsWith("VmRSS:", StringComparison.Ordinal)) continue;
            var kb = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            return kb / 1024.0;
        }
        return -1;
    }

    /// <summary>The 1-minute load average, or -1 off Linux.</summary>
    public static double LoadAverage()
    {
        const string loadavg = "/proc/loadavg";
        return File.Exists(loadavg)
            ? double.Parse(File.ReadAllText(loadavg).Split(' ')[0], CultureInfo.InvariantCulture)
            : -1;
    }

    /// <summary>Minor page faults of this process so far (field 10 of /proc/self/stat), or -1 off Linux.</summary>
    public static long MinorFaults()
    {
        const string stat = "/proc/self/stat";
        if (!File.Exists(stat)) return -1;
        var text = File.ReadAllText(stat);
        // Fields after the parenthesised command name, which may itself contain spaces.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], CultureInfo.InvariantCulture);
    }
}
