using Refilled.Engine.Checkpoints;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Refilled.Engine.Experiments;

/// <summary>What happened to a run: flat, so that a list of them is one Export-Csv away. Also the run's result.json.</summary>
public sealed record RunResult
{
    public string Experiment { get; init; } = "";
    public int RunIndex { get; init; }
    public string RunId { get; init; } = "";
    public string Method { get; init; } = "";
    public int Seed { get; init; }
    public double? Lambda { get; init; }
    public double? Tau1 { get; init; }
    public double? Tau2 { get; init; }
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

    public static RunResult Read(string path) =>
        JsonSerializer.Deserialize<RunResult>(File.ReadAllBytes(path), Json) ?? throw new InvalidDataException($"'{path}' is empty.");

    internal void Write(string path) => AtomicFile.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(this, Json));
}
