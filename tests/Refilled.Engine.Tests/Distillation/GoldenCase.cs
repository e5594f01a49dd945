using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Distillation;

/// <summary>One golden JSON case of the golden folder (tests/fixtures/golden; format described in its README).</summary>
internal sealed class GoldenCase
{
    GoldenCase(string name, JsonElement root)
    {
        Name = name;
        Kind = root.TryGetProperty("kind", out var kind) ? kind.GetString() : null;
        Params = root.GetProperty("params");
        Inputs = root.GetProperty("inputs");
        Expected = root.GetProperty("expected");
    }

    public string Name { get; }

    /// <summary>What the case specifies (the baselines' cases say it; the REFILLED cases do not).</summary>
    public string? Kind { get; }
    public JsonElement Params { get; }
    public JsonElement Inputs { get; }
    public JsonElement Expected { get; }

    /// <summary>
    /// Case names (file stems) of every *.json directly in <paramref name="dir"/>. Fails when there is none, so that
    /// the data-driven tests fail on an empty or missing folder rather than pass vacuously.
    /// </summary>
    public static IReadOnlyList<string> Names(string dir)
    {
        var names = Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*.json", SearchOption.TopDirectoryOnly)
                .Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal).ToList()
            : [];
        Assert.True(names.Count > 0, $"no golden *.json case in {dir} (see RepositoryLayout for the REFILLED_GOLDEN_* overrides)");
        return names;
    }

    public static GoldenCase Load(string name) => LoadFrom(RepositoryLayout.GoldenDir, name);

    public static GoldenCase LoadFrom(string directory, string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, name + ".json")));
        return new GoldenCase(name, document.RootElement.Clone());
    }

    public double Param(string name) => Params.GetProperty(name).GetDouble();
    public int IntParam(string name) => Params.GetProperty(name).GetInt32();

    public Tensor InputFloats(string name) => Floats(Inputs.GetProperty(name));
    public Tensor InputLongs(string name) => Longs(Inputs.GetProperty(name));

    /// <summary>A nested list as a float32 tensor (every stored input is float32-representable).</summary>
    public static Tensor Floats(JsonElement element)
    {
        var (values, shape) = Flatten(element);
        return tensor(values.Select(v => (float)v).ToArray(), shape);
    }

    public static Tensor Longs(JsonElement element)
    {
        var (values, shape) = Flatten(element);
        return tensor(values.Select(v => (long)v).ToArray(), shape);
    }

    /// <summary>A nested list as row-major doubles plus its shape.</summary>
    public static (double[] Values, long[] Shape) Flatten(JsonElement element)
    {
        var values = new List<double>();
        var shape = new List<long>();
        var depth = 0;
        Walk(element, 0);
        return (values.ToArray(), shape.ToArray());

        void Walk(JsonElement e, int level)
        {
            if (e.ValueKind != JsonValueKind.Array)
            {
                values.Add(e.GetDouble());
                return;
            }
            if (level == depth)
            {
                shape.Add(e.GetArrayLength());
                depth++;
            }
            foreach (var child in e.EnumerateArray()) Walk(child, level + 1);
        }
    }
}
