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
        if (validation && fraction == 0)
            throw new ArgumentException("The Validation split needs a ValidationFraction above 0 or a ValidationSamplesPerClass.");
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

    /// <summary>
    /// The K-shot training draw and the N-per-class validation draw, from one seeded permutation of each class:
    /// training takes its first K (all but the last N without K), validation its last N. So the two are disjoint
    /// whenever K + N fits the class (checked here when both are given), and neither depends on the other's size.
    /// </summary>
    public static List<int> PerClass(int[] labels, IEnumerable<int> indices, int? k, int? validationPerClass, bool validation, int seed)
    {
        if (k < 1) throw new DatasetRequestException("InvalidSamplesPerClass", $"SamplesPerClass must be at least 1, not {k}.", k);
        if (validationPerClass < 1)
            throw new DatasetRequestException("InvalidSamplesPerClass", $"ValidationSamplesPerClass must be at least 1, not {validationPerClass}.", validationPerClass);
        if (validation && validationPerClass is null) throw new ArgumentException("The validation draw needs ValidationSamplesPerClass.");
        var needed = (k ?? 0) + (validationPerClass ?? 0);
        var asked = (k, validationPerClass) switch
        {
            (null, _) => $"ValidationSamplesPerClass asks for {validationPerClass}",
            (_, null) => $"SamplesPerClass asks for {k}",
            _ => $"SamplesPerClass {k} + ValidationSamplesPerClass {validationPerClass} need {needed}",
        };
        var kept = new List<int>();
        foreach (var (label, members) in ByClass(labels, indices))
        {
            if (members.Count < needed)
                throw new DatasetRequestException("SamplesPerClassTooLarge", $"Class {label} has only {members.Count} training images; {asked}.",
                    k ?? validationPerClass);
            var shuffled = Shuffled(members, SeedSequence.Derive(seed, SamplesPurpose, label));
            var held = validationPerClass ?? 0;
            kept.AddRange(validation ? shuffled.TakeLast(held) : k is int shots ? shuffled.Take(shots) : shuffled.SkipLast(held));
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
