using System.Globalization;
using System.Text.Json;
using Refilled.Engine.Data;

namespace Refilled.Engine.Checkpoints.Onnx;

/// <summary>
/// What an exported ONNX model records in its metadata_props beside the graph: the architecture, the original
/// label id (and, when known, the name) behind each output, and the normalisation the graph applies to its input.
/// </summary>
public sealed record OnnxModelMetadata(string Architecture, int[] Classes, string[]? ClassNames, ChannelNormalisation Normalisation)
{
    public const string ArchitectureKey = "refilled.architecture";
    public const string ClassesKey = "refilled.classes";
    public const string ClassNamesKey = "refilled.class_names";
    public const string InputKey = "refilled.input";
    public const string MeanKey = "refilled.normalisation.mean";
    public const string StdKey = "refilled.normalisation.std";

    /// <summary>What the graph's input is, for a person reading the metadata.</summary>
    public const string InputDescription =
        "image: float32 [batch, channels, height, width], pixel values in [0, 1] (bytes / 255); the graph normalises them";

    /// <summary>The key-value pairs written to ModelProto.metadata_props, in a fixed order.</summary>
    public IEnumerable<KeyValuePair<string, string>> ToProperties()
    {
        yield return new(ArchitectureKey, Architecture);
        yield return new(ClassesKey, string.Join(",", Classes.Select(c => c.ToString(CultureInfo.InvariantCulture))));
        if (ClassNames is not null) yield return new(ClassNamesKey, JsonSerializer.Serialize(ClassNames));
        yield return new(InputKey, InputDescription);
        yield return new(MeanKey, Floats(Normalisation.Mean));
        yield return new(StdKey, Floats(Normalisation.Std));
    }

    /// <summary>Reads the pairs <see cref="ToProperties"/> wrote; <see cref="CheckpointFormatException"/> when one is missing or malformed.</summary>
    public static OnnxModelMetadata Parse(IReadOnlyDictionary<string, string> properties, string path)
    {
        string Required(string key) => properties.TryGetValue(key, out var value)
            ? value
            : throw new CheckpointFormatException(path, $"the ONNX metadata has no '{key}' (not exported by Refilled?)");
        try
        {
            var classes = Required(ClassesKey).Split(',').Select(c => int.Parse(c, NumberStyles.Integer, CultureInfo.InvariantCulture)).ToArray();
            var names = properties.TryGetValue(ClassNamesKey, out var json) ? JsonSerializer.Deserialize<string[]>(json) : null;
            var normalisation = new ChannelNormalisation(ParseFloats(Required(MeanKey)), ParseFloats(Required(StdKey)));
            if (names is not null && names.Length != classes.Length)
                throw new FormatException($"{names.Length} class names for {classes.Length} classes");
            if (normalisation.Mean.Length != normalisation.Std.Length)
                throw new FormatException("the normalisation's mean and std differ in length");
            return new OnnxModelMetadata(Required(ArchitectureKey), classes, names, normalisation);
        }
        catch (Exception e) when (e is FormatException or OverflowException or JsonException)
        {
            throw new CheckpointFormatException(path, "the ONNX metadata is malformed: " + e.Message, e);
        }
    }

    static string Floats(float[] values) => string.Join(",", values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)));

    static float[] ParseFloats(string text) => text.Split(',').Select(v => float.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
}
