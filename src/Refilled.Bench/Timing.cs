using System.Diagnostics;

namespace Refilled.Bench;

/// <summary>Warm-up, then the wall time of N repetitions.</summary>
internal static class Timing
{
    public static double MedianMs(int warmup, int repetitions, Action action) => Median(SamplesMs(warmup, repetitions, action));

    /// <summary>Minor page faults per repetition in the last <see cref="SamplesMs"/> call: fresh pages the kernel had to zero.</summary>
    public static double LastFaultsPerRepetition { get; private set; }

    public static double[] SamplesMs(int warmup, int repetitions, Action action)
    {
        for (var i = 0; i < warmup; i++) action();
        var faults = Machine.MinorFaults();
        var samples = new double[repetitions];
        for (var i = 0; i < repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            action();
            samples[i] = clock.Elapsed.TotalMilliseconds;
        }
        LastFaultsPerRepetition = (Machine.MinorFaults() - faults) / (double)repetitions;
        return samples;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
