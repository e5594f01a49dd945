using Refilled.Engine.Checkpoints;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Refilled.Engine.Training;

namespace Refilled.Engine.Experiments;

/// <summary>What happened to a run: flat, so that a list of them is one Export-Csv away. Also the run's result.json.</summary>
public sealed record RunResult
{
    public string Experiment { get; init; } = "";
    public int RunIndex { get; init; }
    public string RunId { get; init; } = "";
    /// <summary>What trained the student; result.json writes its name (old files' names read in any letter case).</summary>
    public TrainingMethod Method { get; init; }
    public int Seed { get; init; }
    /// <summary>
    /// The run's hyperparameters by experiment-file key (<c>stage2.lambda</c>, <c>baseline.beta</c>): every one its stages'
    /// recipes have, as a sweep stores it (numbers, switches as 1 or 0, choices by number), so whatever the sweep varied is here.
    /// </summary>
    public IReadOnlyDictionary<string, double> Hyperparameters { get; init; } = new Dictionary<string, double>();
    public int? SamplesPerClass { get; init; }
    /// <summary>Classifier accuracy on the validation split (best-epoch weights), if there is one.</summary>
    public double? ValidationAccuracy { get; init; }
    /// <summary>Classifier accuracy on the test split, if the data configures one.</summary>
    public double? TestAccuracy { get; init; }
    /// <summary>Nearest-class-mean accuracy on the test split (else validation), class means from the training images.</summary>
    public double? NcmAccuracy { get; init; }
    /// <summary>The same with class means from the measured split's own labels (the released code's transductive protocol).</summary>
    public double? NcmTransductive { get; init; }
    /// <summary>Test accuracy when measured, else validation accuracy.</summary>
    public double? Accuracy { get; init; }
    public int Epochs { get; init; }
    public double Seconds { get; init; }
    public string ModuleVersion { get; init; } = "";
    /// <summary>SHA-256 of the final weights in TorchSharp's encoding: equal hashes mean bit-identical students.</summary>
    public string WeightsSha256 { get; init; } = "";
    /// <summary>Completed (ran now), Skipped (finished before), Locked (another process runs it), Cancelled.</summary>
    public RunStatus Status { get; init; }
    public string Path { get; init; } = "";
    public DateTimeOffset? Finished { get; init; }

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // The status by name, read in any letter case.
        Converters = { new JsonStringEnumConverter() },
    };

    public static RunResult Read(string path)
    {
        var json = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject ?? throw new InvalidDataException($"'{path}' holds no result.");
        return Upgraded(json).Deserialize<RunResult>(Json) ?? throw new InvalidDataException($"'{path}' is empty.");
    }

    /// <summary>The hyperparameters of <paramref name="config"/>'s stages, keyed <c>section.key</c> as the experiment file writes them.</summary>
    public static IReadOnlyDictionary<string, double> HyperparametersOf(ExperimentConfig config)
    {
        var values = new Dictionary<string, double>();
        foreach (var (section, recipe) in new (string, StageRecipe?)[] { ("stage1", config.Stage1), ("stage2", config.Stage2), ("baseline", config.Baseline) })
            foreach (var key in recipe is null ? [] : RecipeKey.Of(recipe.GetType()))
                if (key.Property.GetValue(recipe) is { } value and not int[])
                    values[$"{section}.{key.Key}"] = RecipeYaml.ToNumber(value);
        return values;
    }

    /// <summary>A result.json written before hyperparameters were generic: REFILLED's tau1, tau2 and lambda columns become keys.</summary>
    static JsonObject Upgraded(JsonObject json)
    {
        if (json.ContainsKey("hyperparameters")) return json;
        var hyperparameters = new JsonObject();
        foreach (var (column, key) in new[] { ("tau1", "stage1.tau"), ("tau2", "stage2.tau"), ("lambda", "stage2.lambda") })
            if (json[column] is JsonValue value && value.GetValueKind() == JsonValueKind.Number)
                hyperparameters[key] = value.GetValue<double>();
        json["hyperparameters"] = hyperparameters;
        return json;
    }

    internal void Write(string path) => AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(this, Json));
}
