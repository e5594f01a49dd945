using System.Text.RegularExpressions;
using Refilled.Engine.Training;

namespace Refilled.Engine.Experiments;

/// <summary>
/// What each Slurm resource may look like. The values end up on <c>#SBATCH</c> lines, so anything outside the grammar
/// (a newline, a space, a quote) could add options or commands to the batch script; it is refused, not escaped.
/// </summary>
public static partial class SlurmResourceGrammar
{
    /// <summary>A message saying what is wrong with <paramref name="value"/> for <paramref name="key"/>, or null when it is valid.</summary>
    public static string? Problem(string key, string value) => key switch
    {
        "mem" => Memory().IsMatch(value) ? null : "must be a whole number with an optional K, M, G or T suffix, e.g. 8G",
        "time" => Time().IsMatch(value)
            ? null
            : "must be a Slurm time: minutes, minutes:seconds, hours:minutes:seconds, days-hours, days-hours:minutes, " +
              "days-hours:minutes:seconds or UNLIMITED, e.g. 02:00:00",
        "partition" or "name" => Name().IsMatch(value) ? null : "may only hold letters, digits, '_', '.' and '-'",
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "not a Slurm resource with a grammar"),
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming the first resource outside its grammar.</summary>
    public static void EnsureValid(ResourcesConfig resources, string jobName)
    {
        foreach (var (key, value) in Texts(resources).Append(("name", jobName)))
            if (Problem(key, value) is { } problem)
                throw new ArgumentException($"The Slurm {key} '{value}' {problem}.");
    }

    /// <summary>The resources given as text (every text key of <see cref="ResourcesConfig"/>, each with a grammar here), by key.</summary>
    public static IEnumerable<(string Key, string Value)> Texts(ResourcesConfig resources) =>
        RecipeKey.Of(typeof(ResourcesConfig)).Where(k => k.Type == typeof(string))
            .Select(k => (k.Key, Value: (string?)k.Property.GetValue(resources)))
            .Where(k => k.Value is not null).Select(k => (k.Key, k.Value!));

    [GeneratedRegex(@"\A[0-9]+[KMGT]?\z")]
    private static partial Regex Memory();

    [GeneratedRegex(@"\A(?:[0-9]+(?::[0-9]{1,2}){0,2}|[0-9]+-[0-9]{1,2}(?::[0-9]{1,2}){0,2}|UNLIMITED|INFINITE)\z")]
    private static partial Regex Time();

    [GeneratedRegex(@"\A[A-Za-z0-9_.-]+\z")]
    private static partial Regex Name();
}
