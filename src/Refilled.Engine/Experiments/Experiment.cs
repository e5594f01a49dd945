using System.Globalization;
using System.Text.RegularExpressions;
using Refilled.Engine.Data;
using Refilled.Engine.Distillation;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Refilled.Engine.Experiments;

/// <summary>One axis of a sweep grid, e.g. lambda: [0.1, 1, 10].</summary>
public sealed record SweepAxis(string Key, IReadOnlyList<double> Values);

/// <summary>One point of the grid: its 0-based index in expansion order, a stable id, its axis values and its config.</summary>
public sealed record ExperimentRun(int Index, string Id, IReadOnlyList<KeyValuePair<string, double>> Values, ExperimentConfig Config)
{
    public double? Value(string key) => Values.FirstOrDefault(v => v.Key == key) is { Key: not null } v ? v.Value : null;
}

/// <summary>
/// An experiment file: a base configuration and a sweep grid. <see cref="Expand"/> gives the runs in a fixed order:
/// the cartesian product of the <c>sweep:</c> keys in the order they appear in the file, the first key outermost and
/// the last varying fastest; <c>seeds:</c> (when <c>seed</c> is not a sweep key) is one more axis, innermost.
/// </summary>
public sealed partial class Experiment
{
    /// <summary>The keys a <c>sweep:</c> grid may vary, and what each sets.</summary>
    public static readonly IReadOnlyList<string> SweepKeys =
        ["lambda", "tau1", "tau2", "margin", "lr", "lr1", "lr2", "epochs1", "epochs2", "samples_per_class", "gamma", "seed"];

    static readonly string[] TopKeys = ["name", "data", "teacher", "student", "stages", "seed", "seeds", "threads", "sweep", "resources"];
    static readonly string[] DataKeys = ["name", "path", "classes", "samples_per_class", "validation_fraction", "seed", "test"];
    static readonly string[] TeacherKeys = ["file", "architecture", "classes", "pretrain"];
    static readonly string[] PretrainKeys = ["architecture", "classes", "epochs", "lr", "batch", "validation_fraction", "seed"];
    static readonly string[] StagesKeys = ["stage1", "stage2", "baseline"];
    static readonly string[] Stage1Keys = ["epochs", "lr", "tau", "margin", "variant", "batch", "evaluate_every"];
    static readonly string[] Stage2Keys = ["epochs", "lr", "tau", "lambda", "centers", "milestones", "gamma", "batch", "evaluate_every"];
    static readonly string[] BaselineKeys = ["method", "epochs", "lr", "batch", "milestones", "gamma", "temperature", "alpha", "evaluate_every"];
    static readonly string[] ResourceKeys = ["cpus", "mem", "time", "partition"];

    Experiment(ExperimentConfig config, IReadOnlyList<SweepAxis> axes, string? source)
    {
        Base = config;
        Axes = axes;
        SourcePath = source;
    }

    public ExperimentConfig Base { get; }
    public IReadOnlyList<SweepAxis> Axes { get; }
    public string? SourcePath { get; }
    public string Name => Base.Name;
    public int RunCount => Axes.Aggregate(1, (n, a) => n * a.Values.Count);

    public static Experiment Load(string path)
    {
        path = Path.GetFullPath(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No experiment file at '{path}'.", path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates; relative paths are taken from <paramref name="path"/>'s folder (else the current one).</summary>
    public static Experiment Parse(string yaml, string? path = null)
    {
        var file = path ?? "<yaml>";
        var folder = path is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(path))!;
        var errors = new List<ExperimentError>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ExperimentValidationException([new ExperimentError(file, e.Start.Line, e.Start.Column, "not valid YAML: " + e.Message)]);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ExperimentValidationException([new ExperimentError(file, 1, 1, "an experiment file must be a mapping with name, data, student and stages.")]);

        var top = new YamlSection(root, "", file, errors, TopKeys);
        top.Require("name", "data", "student", "stages");
        var name = top.String("name") ?? "";
        if (top.Has("name") && !NamePattern().IsMatch(name))
            top.Error(root.Children[new YamlScalarNode("name")], $"'name' must be letters, digits, '.', '_' or '-' (it names a folder), not '{name}'.");

        var data = ParseData(top.Section("data", DataKeys), folder);
        var teacher = ParseTeacher(top.Section("teacher", TeacherKeys), folder);
        var student = top.Section("student", ["architecture"]);
        student?.Require("architecture");
        var architecture = student?.String("architecture") ?? "";
        if (student?.Has("architecture") == true) CheckArchitecture(student, "architecture", architecture);

        Stage1Config? stage1 = null;
        Stage2Config? stage2 = null;
        BaselineConfig? baseline = null;
        if (top.Section("stages", StagesKeys) is { } stages)
        {
            stage1 = ParseStage1(stages.Section("stage1", Stage1Keys));
            stage2 = ParseStage2(stages.Section("stage2", Stage2Keys));
            baseline = ParseBaseline(stages.Section("baseline", BaselineKeys));
            var refilled = stages.Has("stage1") || stages.Has("stage2");
            if (refilled && stages.Has("baseline"))
                stages.Error(stages.Node, "'stages' holds either stage1 and stage2 (REFILLED) or a baseline, not both.");
            else if (!refilled && !stages.Has("baseline"))
                stages.Error(stages.Node, "'stages' needs stage1 and stage2, or a baseline.");
            else if (refilled) stages.Require("stage1", "stage2");
        }
        var needsTeacher = baseline is null || baseline.Method == BaselineKind.Kd;
        if (needsTeacher && !top.Has("teacher") && top.Has("stages"))
            top.Error(root, "the experiment needs a 'teacher' (a file or a pretrain block) for its stages.");

        if (top.Has("seed") && top.Has("seeds")) top.Error(root, "give 'seed' or 'seeds', not both.");
        var seed = top.Int("seed") ?? 0;
        var seeds = top.IntList("seeds");
        var threads = top.Int("threads", 1, 1024);
        var resources = ParseResources(top.Section("resources", ResourceKeys));

        var axes = new List<SweepAxis>();
        if (top.Section("sweep", SweepKeys) is { } sweep)
        {
            foreach (var (key, value) in sweep.Entries)
            {
                if (value is not YamlSequenceNode { Children.Count: > 0 } list)
                {
                    sweep.Error(value, $"'sweep.{key}' must be a non-empty list of values, such as [0.1, 1, 10].");
                    continue;
                }
                var integer = key is "seed" or "epochs1" or "epochs2" or "samples_per_class";
                var items = list.Children.Select(item => integer
                    ? sweep.ParseInt(item, $"sweep.{key}", key == "seed" ? int.MinValue : 1, int.MaxValue)
                    : sweep.ParseDouble(item, $"sweep.{key}", 0, double.MaxValue)).ToList();
                if (items.Any(i => i is null)) continue;
                if (items.Distinct().Count() != items.Count) sweep.Error(value, $"'sweep.{key}' lists a value twice.");
                axes.Add(new SweepAxis(key, items.Select(i => i!.Value).ToArray()));
                var needs = key switch
                {
                    "lambda" or "tau2" or "lr2" or "epochs2" => stage2 is null ? "stage2" : null,
                    "tau1" or "margin" or "lr1" or "epochs1" => stage1 is null ? "stage1" : null,
                    _ => null,
                };
                if (needs != null && top.Has("stages")) sweep.Error(value, $"'sweep.{key}' varies {needs}, which the stages do not have.");
                if (key == "seed" && seeds != null) sweep.Error(value, "the seeds are swept twice: by 'seeds' and by 'sweep.seed'.");
            }
        }
        if (seeds is { Length: > 0 } && !axes.Any(a => a.Key == "seed"))
            axes.Add(new SweepAxis("seed", seeds.Select(s => (double)s).ToArray()));

        if (errors.Count > 0) throw new ExperimentValidationException(errors);
        var config = new ExperimentConfig
        {
            Name = name,
            Data = data!,
            Teacher = teacher,
            StudentArchitecture = NetworkSpec.Parse(architecture).ToString(),
            Stage1 = stage1,
            Stage2 = stage2,
            Baseline = baseline,
            Seed = seeds is { Length: > 0 } ? seeds[0] : seed,
            Threads = threads,
            Resources = resources ?? new ResourcesConfig(),
        };
        return new Experiment(config, axes, path is null ? null : Path.GetFullPath(path));
    }

    /// <summary>All runs in expansion order (see the class summary).</summary>
    public IReadOnlyList<ExperimentRun> Expand()
    {
        var runs = new List<ExperimentRun>();
        var point = new int[Axes.Count];
        for (var index = 0; index < RunCount; index++)
        {
            // Mixed-radix digits of the index, the last axis least significant.
            var rest = index;
            for (var a = Axes.Count - 1; a >= 0; a--)
            {
                point[a] = rest % Axes[a].Values.Count;
                rest /= Axes[a].Values.Count;
            }
            var values = Axes.Select((axis, a) => new KeyValuePair<string, double>(axis.Key, axis.Values[point[a]])).ToArray();
            var config = values.Aggregate(Base, (c, v) => Apply(c, v.Key, v.Value));
            var id = values.Length == 0 ? "run" : string.Join("_", values.Select(v => $"{v.Key}={Format(v.Value)}"));
            runs.Add(new ExperimentRun(index, id, values, config));
        }
        return runs;
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    static ExperimentConfig Apply(ExperimentConfig c, string key, double v) => key switch
    {
        "seed" => c with { Seed = (int)v },
        "lambda" => c with { Stage2 = c.Stage2! with { Lambda = v } },
        "tau1" => c with { Stage1 = c.Stage1! with { Tau = v } },
        "tau2" => c with { Stage2 = c.Stage2! with { Tau = v } },
        "margin" => c with { Stage1 = c.Stage1! with { Margin = v } },
        "lr1" => c with { Stage1 = c.Stage1! with { Lr = v } },
        "lr2" => c with { Stage2 = c.Stage2! with { Lr = v } },
        "lr" => c with { Stage1 = c.Stage1 is null ? null : c.Stage1 with { Lr = v }, Stage2 = c.Stage2 is null ? null : c.Stage2 with { Lr = v }, Baseline = c.Baseline is null ? null : c.Baseline with { Lr = v } },
        "epochs1" => c with { Stage1 = c.Stage1! with { Epochs = (int)v } },
        "epochs2" => c with { Stage2 = c.Stage2! with { Epochs = (int)v } },
        "samples_per_class" => c with { Data = c.Data with { SamplesPerClass = (int)v } },
        "gamma" => c with { Stage2 = c.Stage2 is null ? null : c.Stage2 with { Gamma = v }, Baseline = c.Baseline is null ? null : c.Baseline with { Gamma = v } },
        _ => throw new ArgumentException($"Unknown sweep key '{key}'."),
    };

    static DataConfig? ParseData(YamlSection? s, string folder)
    {
        if (s is null) return null;
        s.Require("classes");
        var path = s.String("path");
        return new DataConfig
        {
            Name = s.Enum<DatasetName>("name") ?? DatasetName.Mnist,
            Path = path is null ? null : Path.GetFullPath(Path.Combine(folder, path)),
            Classes = s.IntList("classes", 0) ?? [],
            SamplesPerClass = s.Int("samples_per_class", 1),
            ValidationFraction = s.Double("validation_fraction", 0, 0.9) ?? 0.2,
            Seed = s.Int("seed"),
            Test = s.Bool("test") ?? true,
        };
    }

    static TeacherConfig? ParseTeacher(YamlSection? s, string folder)
    {
        if (s is null) return null;
        if (s.Has("file") == s.Has("pretrain")) s.Error(s.Node, "'teacher' needs either 'file' or 'pretrain' (exactly one).");
        if (s.Has("pretrain") && (s.Has("architecture") || s.Has("classes")))
            s.Error(s.Node, "a pretrained teacher takes its architecture and classes from 'teacher.pretrain'.");
        var file = s.String("file");
        var architecture = s.String("architecture");
        if (architecture != null) CheckArchitecture(s, "architecture", architecture);
        PretrainConfig? pretrain = null;
        if (s.Section("pretrain", PretrainKeys) is { } p)
        {
            p.Require("architecture", "classes");
            var pArch = p.String("architecture") ?? "";
            if (p.Has("architecture")) CheckArchitecture(p, "architecture", pArch);
            pretrain = new PretrainConfig
            {
                Architecture = p.Has("architecture") && IsArchitecture(pArch) ? NetworkSpec.Parse(pArch).ToString() : pArch,
                Classes = p.IntList("classes", 0) ?? [],
                Epochs = p.Int("epochs", 1) ?? 8,
                Lr = p.Double("lr", 1e-9, 100) ?? 0.05,
                Batch = p.Int("batch", 2) ?? 64,
                ValidationFraction = p.Double("validation_fraction", 0, 0.9) ?? 0.1,
                Seed = p.Int("seed") ?? 0,
            };
        }
        return new TeacherConfig
        {
            File = file is null ? null : Path.GetFullPath(Path.Combine(folder, file)),
            Architecture = architecture != null && IsArchitecture(architecture) ? NetworkSpec.Parse(architecture).ToString() : architecture,
            Classes = s.IntList("classes", 0),
            Pretrain = pretrain,
        };
    }

    static Stage1Config? ParseStage1(YamlSection? s) => s is null ? null : new Stage1Config
    {
        Epochs = s.Int("epochs", 1) ?? 10,
        Lr = s.Double("lr", 1e-9, 100) ?? 0.05,
        Tau = s.Double("tau", 1e-3, 1e3) ?? TrainingDefaults.Tau1,
        Margin = s.Double("margin", 1e-6, 2) ?? TrainingDefaults.Margin,
        Variant = s.Enum<RelationshipVariant>("variant") ?? RelationshipVariant.Triplet,
        Batch = s.Int("batch", 2) ?? 64,
        EvaluateEvery = s.Int("evaluate_every", 1) ?? 1,
    };

    static Stage2Config? ParseStage2(YamlSection? s) => s is null ? null : new Stage2Config
    {
        Epochs = s.Int("epochs", 1) ?? 10,
        Lr = s.Double("lr", 1e-9, 100) ?? 0.05,
        Tau = s.Double("tau", 1e-3, 1e3) ?? TrainingDefaults.Tau2,
        Lambda = s.Double("lambda", 0, 1e6) ?? TrainingDefaults.Lambda,
        Centers = s.Enum<CentreSource>("centers") ?? CentreSource.Global,
        Milestones = s.IntList("milestones", 1),
        Gamma = s.Double("gamma", 0, 1) ?? TrainingDefaults.Gamma,
        Batch = s.Int("batch", 2) ?? 64,
        EvaluateEvery = s.Int("evaluate_every", 1) ?? 1,
    };

    static BaselineConfig? ParseBaseline(YamlSection? s)
    {
        if (s is null) return null;
        s.Require("method");
        return new BaselineConfig
        {
            Method = s.Enum<BaselineKind>("method") ?? BaselineKind.Scratch,
            Epochs = s.Int("epochs", 1) ?? 10,
            Lr = s.Double("lr", 1e-9, 100) ?? 0.05,
            Batch = s.Int("batch", 2) ?? 64,
            Milestones = s.IntList("milestones", 1),
            Gamma = s.Double("gamma", 0, 1) ?? TrainingDefaults.Gamma,
            Temperature = s.Double("temperature", 1e-3, 1e3) ?? TrainingDefaults.KdTemperature,
            Alpha = s.Double("alpha", 0, 1) ?? TrainingDefaults.KdAlpha,
            EvaluateEvery = s.Int("evaluate_every", 1) ?? 1,
        };
    }

    static ResourcesConfig? ParseResources(YamlSection? s) => s is null ? null : new ResourcesConfig
    {
        Cpus = s.Int("cpus", 1, 4096) ?? 2,
        Mem = SlurmResource(s, "mem") ?? "4G",
        Time = SlurmResource(s, "time") ?? "01:00:00",
        Partition = SlurmResource(s, "partition"),
    };

    static string? SlurmResource(YamlSection s, string key)
    {
        var value = s.String(key);
        if (value is null || SlurmResourceGrammar.Problem(key, value) is not { } problem) return value;
        s.Error(s.Entries.First(e => e.Key == key).Value, $"'{s.Qualified(key)}' {problem}, not '{value}'.");
        return null;
    }

    static bool IsArchitecture(string text)
    {
        try
        {
            NetworkSpec.Parse(text);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    static void CheckArchitecture(YamlSection s, string key, string text)
    {
        try
        {
            NetworkSpec.Parse(text);
        }
        catch (ArgumentException e)
        {
            s.Error(((YamlMappingNode)s.Node).Children.First(p => (p.Key as YamlScalarNode)?.Value == key).Value, $"'{s.Qualified(key)}': {e.Message}");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();
}
