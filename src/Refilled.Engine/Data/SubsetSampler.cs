namespace Refilled.Engine.Data;

/// <summary>
/// Chooses which records of a split a request keeps. Every per-class draw uses its own seed derived from
/// (seed, purpose, class), so a class's validation part and K-shot draw do not depend on which other classes are kept.
/// </summary>
internal static class SubsetSampler
{
    const long ValidationPurpose = 1, SamplesPurpose = 2;

    /// <summary>Indices of <paramref name="labels"/> in the requested part of the training files.</summary>
    public static List<int> TrainOrValidation(int[] labels, double fraction, int seed, bool validation)
    {
        if (fraction is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "ValidationFraction must be in [0, 1).");
        if (validation && fraction == 0) throw new ArgumentException("The Validation split needs a ValidationFraction above 0.");
        var kept = new List<int>();
        foreach (var (label, members) in ByClass(labels, Enumerable.Range(0, labels.Length)))
        {
            var shuffled = Shuffled(members, SeedSequence.Derive(seed, ValidationPurpose, label));
            var held = (int)Math.Round(fraction * shuffled.Count);
            kept.AddRange(validation ? shuffled.Take(held) : shuffled.Skip(held));
        }
        kept.Sort();
        return kept;
    }

    /// <summary>K indices per class, drawn without replacement; a class with fewer than K is an error.</summary>
    public static List<int> SamplesPerClass(int[] labels, IEnumerable<int> indices, int k, int seed)
    {
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), k, "SamplesPerClass must be at least 1.");
        var kept = new List<int>();
        foreach (var (label, members) in ByClass(labels, indices))
        {
            if (members.Count < k)
                throw new ArgumentException($"Class {label} has only {members.Count} training images; SamplesPerClass asks for {k}.");
            kept.AddRange(Shuffled(members, SeedSequence.Derive(seed, SamplesPurpose, label)).Take(k));
        }
        kept.Sort();
        return kept;
    }

    static SortedDictionary<int, List<int>> ByClass(int[] labels, IEnumerable<int> indices)
    {
        var groups = new SortedDictionary<int, List<int>>();
        foreach (var i in indices)
        {
            if (!groups.TryGetValue(labels[i], out var list)) groups[labels[i]] = list = [];
            list.Add(i);
        }
        return groups;
    }

    static List<int> Shuffled(List<int> items, int seed)
    {
        var copy = items.ToArray();
        new Random(seed).Shuffle(copy);
        return [.. copy];
    }
}
