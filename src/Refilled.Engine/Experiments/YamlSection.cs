using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Refilled.Engine.Experiments;

/// <summary>
/// Reads one YAML mapping against the keys it may hold: unknown keys, wrong types and missing required keys become
/// <see cref="ExperimentError"/>s with the node's line and column (and, for an unknown key, the closest valid one).
/// </summary>
internal sealed class YamlSection
{
    readonly YamlMappingNode node;
    readonly string name;
    readonly string file;
    readonly List<ExperimentError> errors;
    readonly Dictionary<string, YamlNode> values = new(StringComparer.Ordinal);

    public YamlSection(YamlMappingNode node, string name, string file, List<ExperimentError> errors, IReadOnlyList<string> keys)
    {
        this.node = node;
        this.name = name;
        this.file = file;
        this.errors = errors;
        foreach (var (keyNode, value) in node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!keys.Contains(key))
                Error(keyNode, $"unknown key '{key}' in {Where}; did you mean '{Closest(key, keys)}'? Valid keys: {string.Join(", ", keys)}.");
            else if (!values.TryAdd(key, value))
                Error(keyNode, $"'{key}' appears twice in {Where}.");
        }
    }

    string Where => name.Length == 0 ? "the experiment" : $"'{name}'";

    public bool Has(string key) => values.ContainsKey(key);

    /// <summary>The keys present, in file order.</summary>
    public IEnumerable<(string Key, YamlNode Value)> Entries =>
        node.Children.Select(p => ((p.Key as YamlScalarNode)?.Value ?? "", p.Value)).Where(p => values.ContainsKey(p.Item1));

    public YamlNode Node => node;

    public YamlNode? ValueOf(string key) => values.GetValueOrDefault(key);

    public void Error(YamlNode at, string message) => errors.Add(new ExperimentError(file, at.Start.Line, at.Start.Column, message));

    public void Require(params string[] keys)
    {
        foreach (var key in keys)
            if (!Has(key)) Error(node, $"{Where} needs '{key}'.");
    }

    public YamlSection? Section(string key, IReadOnlyList<string> keys)
    {
        if (!values.TryGetValue(key, out var value)) return null;
        if (value is YamlMappingNode map) return new YamlSection(map, Qualified(key), file, errors, keys);
        Error(value, $"'{Qualified(key)}' must be a mapping (key: value lines), not {Describe(value)}.");
        return null;
    }

    public string Qualified(string key) => name.Length == 0 ? key : $"{name}.{key}";

    public string? String(string key) => values.TryGetValue(key, out var value) ? ParseString(value, Qualified(key)) : null;

    public int? Int(string key, int min = int.MinValue, int max = int.MaxValue) =>
        values.TryGetValue(key, out var value) ? ParseInt(value, Qualified(key), min, max) : null;

    public double? Double(string key, double min = double.MinValue, double max = double.MaxValue) =>
        values.TryGetValue(key, out var value) ? ParseDouble(value, Qualified(key), min, max) : null;

    public bool? Bool(string key) => values.TryGetValue(key, out var value) ? ParseBool(value, Qualified(key)) : null;

    public T? Enum<T>(string key) where T : struct, System.Enum =>
        values.TryGetValue(key, out var value) ? (T?)ParseEnum(typeof(T), value, Qualified(key)) : null;

    public int[]? IntList(string key, int min = int.MinValue) =>
        values.TryGetValue(key, out var value) ? ParseIntList(value, Qualified(key), min) : null;

    /// <summary>The value of <paramref name="key"/> as a <paramref name="type"/> (int, double, bool, an enum, int[] or text) in [min, max].</summary>
    public object? Parse(YamlNode value, string what, Type type, double min, double max) => type switch
    {
        _ when type == typeof(string) => ParseString(value, what),
        _ when type == typeof(int) => ParseInt(value, what, (int)Math.Max(min, int.MinValue), (int)Math.Min(max, int.MaxValue)),
        _ when type == typeof(double) => ParseDouble(value, what, min, max),
        _ when type == typeof(bool) => ParseBool(value, what),
        _ when type == typeof(int[]) => ParseIntList(value, what, (int)Math.Max(min, int.MinValue)),
        { IsEnum: true } => ParseEnum(type, value, what),
        _ => throw new ArgumentException($"No YAML reader for {type.Name}."),
    };

    public string? ParseString(YamlNode value, string what)
    {
        if (value is YamlScalarNode { Value: { } text }) return text;
        Error(value, $"'{what}' must be a text value, not {Describe(value)}.");
        return null;
    }

    public bool? ParseBool(YamlNode value, string what)
    {
        if (value is YamlScalarNode { Value: { } text } && bool.TryParse(text, out var b)) return b;
        Error(value, $"'{what}' must be true or false, not {Describe(value)}.");
        return null;
    }

    public object? ParseEnum(Type type, YamlNode value, string what)
    {
        if (value is YamlScalarNode { Value: { } text } && System.Enum.TryParse(type, text, ignoreCase: true, out var parsed) &&
            !int.TryParse(text, out _))
            return parsed;
        Error(value, $"'{what}' must be one of {string.Join(", ", System.Enum.GetNames(type).Select(n => n.ToLowerInvariant()))}, not {Describe(value)}.");
        return null;
    }

    public int[]? ParseIntList(YamlNode value, string what, int min)
    {
        if (value is not YamlSequenceNode list)
        {
            Error(value, $"'{what}' must be a list such as [0, 1, 2], not {Describe(value)}.");
            return null;
        }
        var items = list.Children.Select(item => ParseInt(item, what, min, int.MaxValue)).ToList();
        return items.All(i => i.HasValue) ? items.Select(i => i!.Value).ToArray() : null;
    }

    public int? ParseInt(YamlNode value, string what, int min, int max)
    {
        if (value is YamlScalarNode { Value: { } text } && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i))
        {
            if (i >= min && i <= max) return i;
            Error(value, $"'{what}' must be between {min} and {max}, not {i}.");
            return null;
        }
        Error(value, $"'{what}' must be an integer, not {Describe(value)}.");
        return null;
    }

    public double? ParseDouble(YamlNode value, string what, double min, double max)
    {
        if (value is YamlScalarNode { Value: { } text } &&
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
        {
            if (d >= min && d <= max) return d;
            Error(value, $"'{what}' must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, not {text}.");
            return null;
        }
        Error(value, $"'{what}' must be a number, not {Describe(value)}.");
        return null;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlScalarNode s => $"'{s.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "an alias",
    };

    public static string Closest(string key, IEnumerable<string> candidates) =>
        candidates.MinBy(c => Levenshtein(key.ToLowerInvariant(), c)) ?? "";

    public static int Levenshtein(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
