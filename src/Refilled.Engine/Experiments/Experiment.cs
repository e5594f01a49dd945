using System.Globalization;
using System.Text.RegularExpressions;
using Refilled.Engine.Data;
using Refilled.Engine.Methods;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Refilled.Engine.Experiments;

/// <summary>
/// One axis of a sweep grid, e.g. lambda: [0.1, 1, 10]. Values are numbers (enums by ordinal, booleans 0 or 1);
/// labels are how the file writes them and name the run folders. An axis of things that are no numbers (student
/// architectures, milestone lists) has its items, and the index of each as its value.
/// </summary>
public sealed record SweepAxis(string Key, IReadOnlyList<double> Values, IReadOnlyList<string> Labels, IReadOnlyList<object>? Items = null)
{
    /// <summary>What the run at position <paramref name="i"/> of this axis sets.</summary>
    public object At(int i) => Items is null ? Values[i] : Items[i];
}

/// <summary>
/// One point of the grid: its 0-based index in expansion order, a stable id, its axis values and its config; and each
/// axis value as the file writes it (an architecture, a list), which the numbers of an index axis do not say.
/// </summary>
public sealed record ExperimentRun(int Index, string Id, IReadOnlyList<KeyValuePair<string, double>> Values, ExperimentConfig Config,
    IReadOnlyDictionary<string, string> Labels)
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
    /// <summary>Short sweep keys of the earlier schema, and the stage keys each sets (<c>lr</c> and <c>gamma</c> every stage that has them).</summary>
    static readonly Dictionary<string, string[]> SweepAliases = new()
    {
        ["lambda"] = ["stage2.lambda"], ["tau1"] = ["stage1.tau"], ["tau2"] = ["stage2.tau"], ["margin"] = ["stage1.margin"],
        ["lr1"] = ["stage1.lr"], ["lr2"] = ["stage2.lr"], ["epochs1"] = ["stage1.epochs"], ["epochs2"] = ["stage2.epochs"],
        ["lr"] = ["stage1.lr", "stage2.lr", "baseline.lr"], ["gamma"] = ["stage2.gamma", "baseline.gamma"],
    };

    /// <summary>The stage sections and the recipe types whose keys they may hold.</summary>
    static readonly (string Section, Type[] Recipes)[] StageSections =
    [
        ("stage1", [typeof(Stage1Recipe)]),
        ("stage2", [typeof(Stage2Recipe)]),
        ("baseline", [.. Enum.GetValues<BaselineMethod>().Select(m => BaselineRecipe.For(m).GetType())]),
    ];

    /// <summary>The keys a <c>sweep:</c> grid may vary: every stage key as <c>stage.key</c>, the short aliases, seed and K.</summary>
    public static readonly IReadOnlyList<string> SweepKeys =
    [
        .. SweepAliases.Keys, "samples_per_class", "validation_per_class", "seed", "method", "student",
        .. StageSections.SelectMany(s => s.Recipes.SelectMany(RecipeKey.Of).Select(k => $"{s.Section}.{k.Key}")).Distinct(),
    ];

    static readonly string[] TopKeys = ["name", "data", "teacher", "student", "stages", "seed", "seeds", "threads", "device", "precision", "tensorboard", "sweep", "resources"];
    // The sections outside stages are their configuration records (ConfigKeyAttribute), as a stage is its recipe.
    static readonly string[] TeacherKeys = [.. RecipeYaml.Keys(typeof(TeacherConfig)), "pretrain"];
    static readonly string[] PretrainKeys = [.. RecipeYaml.Keys(typeof(PretrainConfig)), .. RecipeYaml.Keys(typeof(PretrainingRecipe))];
    static readonly string[] StudentKeys = ["architecture", "file"];

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
    /// <summary>The most runs one experiment expands to: one run folder and one Slurm array task each.</summary>
    public const int MaxRuns = 100_000;

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
        var root = LoadRoot(yaml, file);

        var top = new YamlSection(root, "", file, errors, TopKeys);
        top.Require("name", "data", "student", "stages");
        var name = top.String("name") ?? "";
        if (top.Has("name") && (!NamePattern().IsMatch(name) || name.All(ch => ch == '.')))
            top.Error(root.Children[new YamlScalarNode("name")], $"'name' must be letters, digits, '.', '_' or '-', not only dots (it names a folder), not '{name}'.");

        var dataSection = top.Section("data", RecipeYaml.Keys(typeof(DataConfig)));
        var data = ParseData(dataSection, folder);
        var teacher = ParseTeacher(top.Section("teacher", TeacherKeys), folder);
        var (architecture, studentFile) = ParseStudent(top.Section("student", StudentKeys), folder);
        var (stage1, stage2, baseline) = ParseStages(top.Section("stages", [.. StageSections.Select(s => s.Section)]), root);
        var needsTeacher = stage1 != null || stage2 != null || baseline?.NeedsTeacher == true;
        if (needsTeacher && !top.Has("teacher") && top.Has("stages"))
            top.Error(root, "the experiment needs a 'teacher' (a file or a pretrain block) for its stages.");

        if (top.Has("seed") && top.Has("seeds")) top.Error(root, "give 'seed' or 'seeds', not both.");
        var seed = top.Int("seed") ?? 0;
        var seeds = top.IntList("seeds");
        if (seeds != null && seeds.Distinct().Count() != seeds.Length)
            top.Error(top.ValueOf("seeds")!, "'seeds' lists a seed twice; each seed is one run folder.");
        var threads = top.Int("threads", 1, 1024);
        var device = ParseDevice(top);
        var precision = top.Enum<Precision>("precision") ?? Precision.Float32;
        var tensorBoard = top.Bool("tensorboard") ?? false;
        var resources = ParseResources(top.Section("resources", RecipeYaml.Keys(typeof(ResourcesConfig))));

        var stagesOf = new SweptStages(stage1, stage2, baseline, top.Has("stages"));
        var axes = top.Section("sweep", SweepKeys) is { } sweep
            ? ParseSweep(sweep, stagesOf, seeds, dataSection?.Has("validation_fraction") == true, studentFile != null)
            : [];
        if (seeds is { Length: > 0 } && !axes.Any(a => a.Key == "seed"))
            axes.Add(new SweepAxis("seed", [.. seeds.Select(s => (double)s)], [.. seeds.Select(s => RecipeYaml.Text(s))]));

        // Counted exactly: a product of a few long axes overflows an int (a negative Slurm array, zero runs).
        var runCount = axes.Aggregate(System.Numerics.BigInteger.One, (n, a) => n * a.Values.Count);
        if (runCount > MaxRuns)
            top.Error(top.ValueOf("sweep") ?? top.ValueOf("seeds") ?? root,
                $"the sweep expands to {runCount:N0} runs, more than the {MaxRuns:N0} one experiment may hold: split it into several experiments.");

        if (errors.Count > 0) throw new ExperimentValidationException(errors);
        var config = new ExperimentConfig
        {
            Name = name,
            Data = data!,
            Teacher = teacher,
            StudentArchitecture = architecture.Length == 0 ? "" : NetworkSpec.Parse(architecture).ToString(),
            StudentFile = studentFile,
            Stage1 = stage1,
            Stage2 = stage2,
            Baseline = baseline,
            Seed = seeds is { Length: > 0 } ? seeds[0] : seed,
            Threads = threads,
            Device = device,
            Precision = precision,
            TensorBoard = tensorBoard,
            Resources = resources ?? new ResourcesConfig(),
        };
        return new Experiment(config, axes, path is null ? null : Path.GetFullPath(path));
    }

    /// <summary>The file's root mapping, after the limits on its size and nesting; not YAML or not a mapping is an error at its place.</summary>
    static YamlMappingNode LoadRoot(string yaml, string file)
    {
        var stream = new YamlStream();
        try
        {
            YamlLimits.Check(yaml, file);
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ExperimentValidationException([new ExperimentError(file, e.Start.Line, e.Start.Column, "not valid YAML: " + e.Message)]);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new ExperimentValidationException([new ExperimentError(file, 1, 1, "an experiment file must be a mapping with name, data, student and stages.")]);
        return root;
    }

    /// <summary>The new student's architecture ("" for a trained one) and the trained student's file (null for a new one).</summary>
    static (string Architecture, string? File) ParseStudent(YamlSection? student, string folder)
    {
        if (student != null && student.Has("architecture") == student.Has("file"))
            student.Error(student.Node, "'student' needs either 'architecture' (a new student) or 'file' (a trained one), exactly one.");
        var architecture = student?.String("architecture") ?? "";
        if (student?.Has("architecture") == true) CheckArchitecture(student, "architecture", architecture);
        return (architecture, student?.String("file") is { } file ? Path.GetFullPath(Path.Combine(folder, file)) : null);
    }

    /// <summary>REFILLED's stages or a baseline (both only when <c>sweep.method</c> compares them).</summary>
    static (Stage1Recipe?, Stage2Recipe?, BaselineRecipe?) ParseStages(YamlSection? stages, YamlMappingNode root)
    {
        if (stages is null) return (null, null, null);
        var stage1 = stages.Section("stage1", RecipeYaml.Keys(typeof(Stage1Recipe))) is { } s1 ? RecipeYaml.Read(s1, new Stage1Recipe()) : null;
        var stage2 = stages.Section("stage2", RecipeYaml.Keys(typeof(Stage2Recipe))) is { } s2 ? RecipeYaml.Read(s2, new Stage2Recipe()) : null;
        var baseline = ParseBaseline(stages.Section("baseline", ["method", "schedule", .. StageSections[2].Recipes.SelectMany(RecipeYaml.Keys).Distinct()]));
        var refilled = stages.Has("stage1") || stages.Has("stage2");
        // A method sweep holds both: REFILLED runs train stage1 and stage2, the others the baseline section's budget.
        var methodSweep = root.Children.TryGetValue(new YamlScalarNode("sweep"), out var sweepNode) &&
                          sweepNode is YamlMappingNode sweepMap && sweepMap.Children.ContainsKey(new YamlScalarNode("method"));
        if (refilled && stages.Has("baseline") && !methodSweep)
            stages.Error(stages.Node, "'stages' holds REFILLED stages (stage1, stage2) or a baseline, not both (unless 'sweep.method' compares them).");
        else if (!refilled && !stages.Has("baseline"))
            stages.Error(stages.Node, "'stages' needs stage1, stage2 (or both), or a baseline.");
        return (stage1, stage2, baseline);
    }

    /// <summary>The stages a sweep key may vary; <c>Given</c>: the file has a stages section (else its own error says so).</summary>
    sealed record SweptStages(Stage1Recipe? Stage1, Stage2Recipe? Stage2, BaselineRecipe? Baseline, bool Given)
    {
        public StageRecipe? this[string section] => section switch { "stage1" => Stage1, "stage2" => Stage2, _ => Baseline };
    }

    /// <summary>One axis per <c>sweep</c> key, in the file's order; a key whose values fail their checks adds no axis (its errors are recorded).</summary>
    static List<SweepAxis> ParseSweep(YamlSection sweep, SweptStages stages, int[]? seeds, bool validationFraction, bool studentFile)
    {
        var axes = new List<SweepAxis>();
        foreach (var (key, value) in sweep.Entries)
        {
            if (value is not YamlSequenceNode { Children.Count: > 0 } list)
            {
                sweep.Error(value, $"'sweep.{key}' must be a non-empty list of values, such as [0.1, 1, 10].");
                continue;
            }
            if (key == "seed" && seeds != null) sweep.Error(value, "the seeds are swept twice: by 'seeds' and by 'sweep.seed'.");
            if (key == "validation_per_class" && validationFraction)
                sweep.Error(value, "'sweep.validation_per_class' draws few-shot validation sets, but 'data.validation_fraction' carves a fraction: keep one.");
            if (key == "student" && studentFile) sweep.Error(value, "'sweep.student' varies a new student's architecture, but 'student' gives a trained file.");
            // The values pass the same type and range checks as the key they vary.
            var axis = key switch
            {
                "student" => StudentAxis(sweep, key, list),
                "method" => MethodAxis(sweep, key, list, stages),
                _ => ValueAxis(sweep, key, list, stages),
            };
            if (axis != null) axes.Add(axis);
        }
        return axes;
    }

    /// <summary>An axis of architectures: the values are indices, the labels the specs (they name the run folders).</summary>
    static SweepAxis? StudentAxis(YamlSection sweep, string key, YamlSequenceNode list)
    {
        var specs = list.Children.Select(item => SweepArchitecture(sweep, item)).ToList();
        if (specs.Any(a => a is null)) return null;
        if (specs.Distinct().Count() != specs.Count) sweep.Error(list, "'sweep.student' lists an architecture twice.");
        return new SweepAxis(key, [.. specs.Select((_, i) => (double)i)], [.. specs.Select(a => a!)], [.. specs.Select(a => (object)a!)]);
    }

    static SweepAxis? MethodAxis(YamlSection sweep, string key, YamlSequenceNode list, SweptStages stages)
    {
        var methods = list.Children.Select(item => ParseMethod(sweep, item, stages.Stage1 != null || stages.Stage2 != null, stages.Baseline != null)).ToList();
        if (methods.Any(m => m is null)) return null;
        if (methods.Distinct().Count() != methods.Count) sweep.Error(list, "'sweep.method' lists a method twice.");
        return new SweepAxis(key, [.. methods.Select(m => (double)(int)m!.Value)], [.. methods.Select(m => m!.Value.Key())]);
    }

    /// <summary>An axis of a run setting (seed, K, validation size) or of a stage hyperparameter, checked as that key is.</summary>
    static SweepAxis? ValueAxis(YamlSection sweep, string key, YamlSequenceNode list, SweptStages stages)
    {
        Func<YamlNode, object?> parse;
        if (key is "seed" or "samples_per_class" or "validation_per_class")
            parse = item => sweep.ParseInt(item, $"sweep.{key}", key == "seed" ? int.MinValue : 1, int.MaxValue);
        else
        {
            var targets = SweepTargets(key).Where(t => stages[t.Section] != null).ToList();
            if (targets.Count == 0)
            {
                if (stages.Given)
                    sweep.Error(list, $"'sweep.{key}' varies {string.Join(" or ", SweepTargets(key).Select(t => t.Section).Distinct())}, which the stages do not have.");
                return null;
            }
            var recipeKey = RecipeKey.Of(stages[targets[0].Section]!.GetType()).FirstOrDefault(k => k.Key == targets[0].Key);
            if (recipeKey is null)
            {
                sweep.Error(list, $"'sweep.{key}' is not a key of the {stages.Baseline?.Method.ToString().ToLowerInvariant()} baseline.");
                return null;
            }
            parse = item => RecipeYaml.Parse(sweep, item, recipeKey, $"sweep.{key}");
        }
        var items = list.Children.Select(parse).ToList();
        if (items.Any(i => i is null)) return null;
        // A list names its run folder without brackets or spaces: milestones [60, 120] as 60-120.
        var labels = items.Select(i => i is int[] values ? string.Join("-", values) : RecipeYaml.Text(i)).ToList();
        if (labels.Distinct().Count() != labels.Count) sweep.Error(list, $"'sweep.{key}' lists a value twice.");
        return items[0] is int[]
            ? new SweepAxis(key, [.. items.Select((_, i) => (double)i)], labels, items!)
            : new SweepAxis(key, [.. items.Select(i => RecipeYaml.ToNumber(i!))], labels);
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
            var config = Base;
            for (var a = 0; a < Axes.Count; a++) config = Apply(config, Axes[a].Key, Axes[a].At(point[a]));
            var labels = Axes.Select((axis, a) => (axis.Key, Label: axis.Labels[point[a]])).ToList();
            var id = values.Length == 0 ? "run" : string.Join("_", labels.Select(l => $"{l.Key}={l.Label}"));
            runs.Add(new ExperimentRun(index, id, values, config, labels.ToDictionary(l => l.Key, l => l.Label)));
        }
        return runs;
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>How a swept value reads in reports: a method by name (the axis holds its <see cref="TrainingMethod"/> number), a number as written.</summary>
    public static string AxisLabel(string key, double value) => key == "method" ? MethodOf(value).Key() : Format(value);

    /// <summary>The method a <c>sweep.method</c> value stands for.</summary>
    static TrainingMethod MethodOf(double value) => (TrainingMethod)(int)value;

    static TrainingMethod? ParseMethod(YamlSection sweep, YamlNode item, bool hasRefilled, bool hasBaseline)
    {
        var text = (item as YamlScalarNode)?.Value ?? "";
        var method = TrainingMethods.Parse(text);
        var known = string.Join(", ", TrainingMethods.All.Select(m => m.Key()));
        if (method is null)
            sweep.Error(item, $"'sweep.method' has '{text}'; the methods are {known}.");
        else if (method == TrainingMethod.Refilled && !hasRefilled)
            sweep.Error(item, "'sweep.method' has refilled, but 'stages' has no stage1 or stage2.");
        else if (method != TrainingMethod.Refilled && !hasBaseline)
            sweep.Error(item, $"'sweep.method' has {text}, but 'stages' has no baseline section (its budget: epochs, lr, batch ...).");
        else return method;
        return null;
    }

    /// <summary>The baseline <paramref name="method"/> with every key of <paramref name="template"/> that it shares.</summary>
    static BaselineRecipe Switch(BaselineRecipe template, BaselineMethod method)
    {
        var recipe = BaselineRecipe.For(method);
        var keys = RecipeKey.Of(template.GetType()).ToDictionary(k => k.Key);
        foreach (var key in RecipeKey.Of(recipe.GetType()).Where(k => keys.ContainsKey(k.Key)))
            recipe = key.With(recipe, keys[key.Key].Property.GetValue(template));
        return recipe;
    }

    /// <summary><paramref name="c"/> with the sweep key set: a number, or an axis item (an architecture, a list).</summary>
    static ExperimentConfig Apply(ExperimentConfig c, string key, object value)
    {
        switch (key)
        {
            case "student": return c with { StudentArchitecture = (string)value };
            case "seed": return c with { Seed = (int)(double)value };
            case "method":
                return MethodOf((double)value).Baseline() is { } baseline
                    ? c with { Stage1 = null, Stage2 = null, Baseline = Switch(c.Baseline!, baseline) }
                    : c with { Baseline = null };
            case "samples_per_class": return c with { Data = c.Data with { SamplesPerClass = (int)(double)value } };
            case "validation_per_class": return c with { Data = c.Data with { ValidationPerClass = (int)(double)value, ValidationFraction = 0 } };
            default:
                return c with
                {
                    Stage1 = SetKey(c.Stage1, key, "stage1", value), Stage2 = SetKey(c.Stage2, key, "stage2", value),
                    Baseline = SetKey(c.Baseline, key, "baseline", value),
                };
        }
    }

    /// <summary>The recipe of <paramref name="section"/> with each of its keys that <paramref name="sweepKey"/> sets.</summary>
    static T? SetKey<T>(T? recipe, string sweepKey, string section, object value) where T : StageRecipe
    {
        if (recipe is null) return null;
        foreach (var (_, name) in SweepTargets(sweepKey).Where(t => t.Section == section))
        {
            var key = RecipeKey.Of(recipe.GetType()).First(k => k.Key == name);
            recipe = key.With(recipe, value is double v ? RecipeYaml.FromNumber(key, v) : value);
        }
        return recipe;
    }

    /// <summary>
    /// Whether sweep key <paramref name="key"/> sets anything in <paramref name="config"/>: lambda does nothing to a Scratch
    /// run, so a method × lambda sweep trains the same Scratch run once per lambda.
    /// </summary>
    public static bool Sets(ExperimentConfig config, string key) => key switch
    {
        "student" or "seed" or "method" or "samples_per_class" or "validation_per_class" => true,
        _ => SweepTargets(key).Any(t => (t.Section switch { "stage1" => config.Stage1, "stage2" => config.Stage2, "baseline" => (StageRecipe?)config.Baseline, _ => null })
            is { } recipe && RecipeKey.Of(recipe.GetType()).Any(k => k.Key == t.Key)),
    };

    /// <summary>The (section, key) pairs a sweep key sets.</summary>
    static IEnumerable<(string Section, string Key)> SweepTargets(string sweepKey) =>
        (SweepAliases.TryGetValue(sweepKey, out var qualified) ? qualified : [sweepKey])
        .Select(q => q.Split('.', 2)).Select(p => (p[0], p[1]));

    static DataConfig? ParseData(YamlSection? s, string folder)
    {
        if (s is null) return null;
        var data = RecipeYaml.ReadConfig<DataConfig>(s);
        if (s.Has("validation_per_class") && s.Has("validation_fraction"))
            s.Error(s.Node, "give 'data.validation_fraction' or 'data.validation_per_class' (few-shot), not both.");
        return data with
        {
            Path = Resolve(folder, data.Path),
            // Few-shot validation replaces the fraction carve-out.
            ValidationFraction = data.ValidationPerClass is null ? data.ValidationFraction : 0,
        };
    }

    static TeacherConfig? ParseTeacher(YamlSection? s, string folder)
    {
        if (s is null) return null;
        if (s.Has("file") == s.Has("pretrain")) s.Error(s.Node, "'teacher' needs either 'file' or 'pretrain' (exactly one).");
        if (s.Has("pretrain") && (s.Has("architecture") || s.Has("classes")))
            s.Error(s.Node, "a pretrained teacher takes its architecture and classes from 'teacher.pretrain'.");
        var teacher = RecipeYaml.ReadConfig<TeacherConfig>(s);
        PretrainConfig? pretrain = null;
        if (s.Section("pretrain", PretrainKeys) is { } p)
        {
            var read = RecipeYaml.ReadConfig<PretrainConfig>(p);
            pretrain = read with { Architecture = Canonical(p, read.Architecture) ?? "", Recipe = RecipeYaml.Read(p, new PretrainingRecipe()) };
        }
        return teacher with { File = Resolve(folder, teacher.File), Architecture = Canonical(s, teacher.Architecture), Pretrain = pretrain };
    }

    static BaselineRecipe? ParseBaseline(YamlSection? s)
    {
        if (s is null) return null;
        s.Require("method");
        var recipe = BaselineRecipe.For(s.Enum<BaselineMethod>("method") ?? BaselineMethod.Scratch);
        // A preset first, so that the budget keys beside it override single values.
        if (s.Enum<SchedulePreset>("schedule") is { } preset) recipe = SchedulePresets.Apply(recipe, preset);
        var keys = RecipeYaml.Keys(recipe.GetType());
        foreach (var (key, value) in s.Entries.Where(e => e.Key is not ("method" or "schedule") && !keys.Contains(e.Key)))
            s.Error(value, $"'{s.Qualified(key)}' does not apply to the {recipe.Method.ToString().ToLowerInvariant()} baseline.");
        return RecipeYaml.Read(s, recipe);
    }

    /// <summary>The spelling only: a file naming cuda validates (and exports to Slurm) on a machine without a GPU.</summary>
    static DeviceSpec? ParseDevice(YamlSection top)
    {
        if (top.String("device") is not { } text) return null;
        try
        {
            var device = DeviceSpec.Parse(text);
            if (device != DeviceSpec.Meta) return device;
            top.Error(top.ValueOf("device")!, "'device' meta holds shapes without values: a run there can neither train nor be measured. Use cpu or cuda.");
        }
        catch (ArgumentException e)
        {
            top.Error(top.ValueOf("device")!, $"'device': {e.Message}");
        }
        return null;
    }

    static ResourcesConfig? ParseResources(YamlSection? s)
    {
        if (s is null) return null;
        var resources = RecipeYaml.ReadConfig<ResourcesConfig>(s);
        foreach (var (key, value) in SlurmResourceGrammar.Texts(resources))
            if (s.Has(key) && SlurmResourceGrammar.Problem(key, value) is { } problem)
                s.Error(s.ValueOf(key)!, $"'{s.Qualified(key)}' {problem}, not '{value}'.");
        return resources;
    }

    /// <summary>A path of the file taken from <paramref name="folder"/>, the file's own.</summary>
    static string? Resolve(string folder, string? path) => path is null ? null : Path.GetFullPath(Path.Combine(folder, path));

    /// <summary>An architecture the section names, in its canonical spelling; one that is none is reported and kept as written.</summary>
    static string? Canonical(YamlSection s, string? architecture)
    {
        if (architecture is null || !s.Has("architecture")) return architecture;
        CheckArchitecture(s, "architecture", architecture);
        return IsArchitecture(architecture) ? NetworkSpec.Parse(architecture).ToString() : architecture;
    }

    /// <summary>A swept architecture in its canonical spelling, or null (with an error) when it is none.</summary>
    static string? SweepArchitecture(YamlSection sweep, YamlNode item)
    {
        var text = (item as YamlScalarNode)?.Value ?? "";
        try
        {
            return NetworkSpec.Parse(text).ToString();
        }
        catch (ArgumentException e)
        {
            sweep.Error(item, $"'sweep.student': {e.Message}");
            return null;
        }
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

    // \A and \z: '$' would also match before a trailing newline, which would then split the Slurm script's lines.
    [GeneratedRegex(@"\A[A-Za-z0-9._-]+\z")]
    private static partial Regex NamePattern();
}
