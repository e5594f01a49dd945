using System.Globalization;
using Refilled.Engine.Runtime;
using YamlDotNet.RepresentationModel;

namespace Refilled.Engine.Experiments;

/// <summary>
/// Writes a resolved <see cref="ExperimentConfig"/> in the experiment-file schema (one seed, no sweep), so a run's
/// config.yaml is itself a valid experiment of exactly that run. The output is deterministic: same config, same text.
/// </summary>
public static class ExperimentYaml
{
    public static string Write(ExperimentConfig c)
    {
        var root = new YamlMappingNode();
        root.Add("name", c.Name);
        // Few-shot validation replaces the fraction: the file gives one of the two.
        root.Add("data", Map([.. RecipeYaml.Entries(c.Data).Where(e => e.Key != "validation_fraction" || c.Data.ValidationPerClass is null)]));
        if (c.Teacher is { } t)
        {
            var pretrain = t.Pretrain is { } p ? Map([.. RecipeYaml.Entries(p), .. RecipeYaml.Entries(p.Recipe)]) : null;
            root.Add("teacher", Map([.. RecipeYaml.Entries(t), ("pretrain", pretrain)]));
        }
        root.Add("student", c.StudentFile is null ? Map(("architecture", c.StudentArchitecture)) : Map(("file", c.StudentFile)));
        var stages = new YamlMappingNode();
        if (c.Stage1 is { } s1) stages.Add("stage1", Map([.. RecipeYaml.Entries(s1)]));
        if (c.Stage2 is { } s2) stages.Add("stage2", Map([.. RecipeYaml.Entries(s2)]));
        if (c.Baseline is { } b) stages.Add("baseline", Map([("method", Lower(b.Method)), .. RecipeYaml.Entries(b)]));
        root.Add("stages", stages);
        root.Add("seed", Num(c.Seed)!);
        if (c.Threads is int threads) root.Add("threads", Num(threads)!);
        if (c.Device is { } device) root.Add("device", device.ToString());
        if (c.Precision != Precision.Float32) root.Add("precision", Lower(c.Precision));
        if (c.TensorBoard) root.Add("tensorboard", "true");
        root.Add("resources", Map([.. RecipeYaml.Entries(c.Resources)]));
        var writer = new StringWriter { NewLine = "\n" };
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        // YamlDotNet ends a document with "...": harmless, but noise in a file people read.
        return writer.ToString().Replace("\n...\n", "\n").TrimEnd() + "\n";
    }

    static YamlMappingNode Map(params (string Key, object? Value)[] entries)
    {
        var map = new YamlMappingNode();
        foreach (var (key, value) in entries)
        {
            switch (value)
            {
                case null: break;
                case string text: map.Add(key, new YamlScalarNode(text)); break;
                case YamlNode node: map.Add(key, node); break;
                default: throw new ArgumentException($"Cannot write {value.GetType().Name}.");
            }
        }
        return map;
    }

    static string Lower<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    static string? Num(int? value) => value?.ToString(CultureInfo.InvariantCulture);
}
