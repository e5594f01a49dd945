namespace Refilled.Engine.Data;

/// <summary>Derives independent, reproducible seeds from (seed, purpose, …) tuples with SplitMix64.</summary>
internal static class SeedSequence
{
    public static int Derive(params ReadOnlySpan<long> parts)
    {
        ulong state = 0x9E3779B97F4A7C15;
        foreach (var p in parts) state = Mix(state ^ (ulong)p);
        return (int)(state & 0x7FFFFFFF);
    }

    static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
