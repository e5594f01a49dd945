using System.Globalization;
using System.Text.Json;
using Refilled.Engine.Networks;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Networks;

/// <summary>One golden network: its json description and the paths of its two checkpoint files.</summary>
internal sealed class GoldenNetCase
{
    GoldenNetCase(string jsonPath)
    {
        JsonPath = jsonPath;
        Root = JsonDocument.Parse(File.ReadAllText(jsonPath)).RootElement;
        var dir = Path.GetDirectoryName(jsonPath)!;
        var checkpoint = Root.GetProperty("checkpoint");
        ModelFile = Path.Combine(dir, checkpoint.GetProperty("model_file").GetString()!);
        StateDictFile = Path.Combine(dir, checkpoint.GetProperty("state_dict_file").GetString()!);
    }

    public string JsonPath { get; }
    public JsonElement Root { get; }
    public string ModelFile { get; }
    public string StateDictFile { get; }
    public string Name => Root.GetProperty("name").GetString()!;
    JsonElement Hyper => Root.GetProperty("hyperparameters");
    public int NumClasses => Hyper.GetProperty("n_classes").GetInt32();
    public int ImageSize => Hyper.GetProperty("input_shape")[3].GetInt32();

    /// <summary>The spec the released module and hyper-parameters stand for.</summary>
    public NetworkSpec Spec => NetworkSpec.Parse(Root.GetProperty("arch").GetString() switch
    {
        "wide_resnet" => $"wrn-{Hyper.GetProperty("depth").GetInt32()}-{Hyper.GetProperty("width").GetInt32()}",
        "resnet" => $"resnet-{Hyper.GetProperty("depth").GetInt32()}",
        "mobile_net" => "mobilenet-" + Hyper.GetProperty("ca").GetDouble().ToString("R", CultureInfo.InvariantCulture),
        var other => throw new InvalidOperationException($"{JsonPath}: unknown arch '{other}'"),
    });

    public static IReadOnlyList<GoldenNetCase> All() => All(RepositoryLayout.GoldenNetsDir);

    /// <summary>Every net in <paramref name="dir"/>; fails when there is none.</summary>
    public static IReadOnlyList<GoldenNetCase> All(string dir)
    {
        Assert.True(Directory.Exists(dir), $"golden nets folder {dir} does not exist (set by REFILLED_GOLDEN_NETS_DIR)");
        var cases = Directory.GetFiles(dir, "*.json").Order(StringComparer.Ordinal).Select(p => new GoldenNetCase(p)).ToList();
        Assert.True(cases.Count > 0, $"no golden nets in {dir}");
        return cases;
    }

    public Tensor Input() => ToTensor(Root.GetProperty("input"));

    public Tensor Expected(string field) => ToTensor(Root.GetProperty("expected").GetProperty(field));

    // Nested JSON lists of float32-representable numbers: double → float is exact.
    static Tensor ToTensor(JsonElement nested)
    {
        var shape = new List<long>();
        for (var e = nested; e.ValueKind == JsonValueKind.Array; e = e[0]) shape.Add(e.GetArrayLength());
        var values = new List<float>();
        Flatten(nested, values);
        return tensor(values.ToArray(), shape.ToArray());
    }

    static void Flatten(JsonElement e, List<float> values)
    {
        if (e.ValueKind == JsonValueKind.Array) foreach (var child in e.EnumerateArray()) Flatten(child, values);
        else values.Add((float)e.GetDouble());
    }
}
