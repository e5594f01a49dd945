using System.Globalization;
using Refilled.Engine.Checkpoints.Onnx;
using Refilled.Engine.Training;
using Refilled.Engine.Evaluation;

namespace Refilled.PowerShell.Objects;

/// <summary>How a model scored on a dataset; flat properties so Export-Csv and ConvertTo-Json give clean rows.</summary>
public sealed class StudentMeasurement
{
    internal StudentMeasurement(RefilledModel model, RefilledDataset data, Measurement measurement, string? method = null)
        // REFILLED's two stages are one method; every other stage is named after its method (Scratch, FineTune, ...).
        : this(model.GetType().Name, method ?? MethodOf(model.Stage), model.Architecture, model.Stage, model.Seed, model.TrainingSeed, null, data, measurement)
    {
    }

    /// <summary>An exported model measured through ONNX Runtime: Model is "Onnx" and Path names the file.</summary>
    internal StudentMeasurement(OnnxClassifier model, string path, RefilledDataset data, Measurement measurement, string? method = null)
        : this("Onnx", method, model.Metadata.Architecture, null, null, null, path, data, measurement)
    {
    }

    static string? MethodOf(TrainingStage? stage) =>
        stage is TrainingStage.Stage1 or TrainingStage.Stage2 ? "Refilled" : stage?.ToString();

    StudentMeasurement(string model, string? method, string architecture, TrainingStage? stage, int? seed, int? trainingSeed, string? path, RefilledDataset data, Measurement measurement)
    {
        Model = model;
        Method = method;
        Architecture = architecture;
        Stage = stage;
        Seed = seed;
        TrainingSeed = trainingSeed;
        Path = path;
        Dataset = data.Name;
        Split = data.Split.ToString();
        Accuracy = measurement.Accuracy;
        NcmAccuracy = measurement.NcmAccuracy;
        NcmTransductive = measurement.NcmTransductive;
        PerClassAccuracy = measurement.PerClassAccuracy is { } perClass
            ? string.Join(";", perClass.Select((a, k) => string.Create(CultureInfo.InvariantCulture, $"{data.Classes[k]}={a:0.####}")))
            : null;
        Samples = measurement.Samples;
        Seconds = Math.Round(measurement.Seconds, 3);
    }

    public string Model { get; }
    /// <summary>What Compare-RefilledResult pairs by: Measure-Student's -Method, else the method of the last trained stage.</summary>
    public string? Method { get; }
    public string Architecture { get; }
    public TrainingStage? Stage { get; }
    /// <summary>The seed that initialised the model.</summary>
    public int? Seed { get; }
    /// <summary>The ONNX file measured; empty for a model in the session.</summary>
    public string? Path { get; }
    /// <summary>The seed of the run that last trained it.</summary>
    public int? TrainingSeed { get; }
    public string Dataset { get; }
    public string Split { get; }
    /// <summary>Classifier accuracy in [0,1]; empty for a model trained on other classes than the data's.</summary>
    public double? Accuracy { get; }
    /// <summary>Nearest-class-mean accuracy in the model's embedding, class means from the -Reference set; empty without one.</summary>
    public double? NcmAccuracy { get; }
    /// <summary>Nearest-class-mean accuracy with class means from the measured data's own labels (the released protocol).</summary>
    public double NcmTransductive { get; }
    /// <summary>"class=accuracy" pairs separated by ';', keyed by original label id.</summary>
    public string? PerClassAccuracy { get; }
    public int Samples { get; }
    public double Seconds { get; }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Architecture} on {Dataset} {Split}: accuracy {Accuracy?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-"}, NCM {NcmAccuracy?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-"} (transductive {NcmTransductive:0.0000})");
}
