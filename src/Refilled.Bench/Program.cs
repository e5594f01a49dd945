using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Refilled.Bench;
using Refilled.Engine.Checkpoints;
using Refilled.Engine.Data;
using Refilled.Engine.Distillation;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

// Prints one JSON object per line on stdout; anything else (progress, profiles) goes to stderr.
var options = BenchOptions.Parse(args);
torch.set_num_threads(options.Threads);
manual_seed(0);
var threads = torch.get_num_threads();
var studentSpec = NetworkSpec.Parse(options.Arch);
var teacherSpec = NetworkSpec.Parse(options.Teacher);
int b = options.Batch, classes = options.Classes;

Emit(new JsonObject
{
    ["name"] = "environment",
    ["threads"] = threads,
    ["cores"] = Environment.ProcessorCount,
    ["cpu"] = Machine.CpuModel(),
    ["libtorch"] = TorchRuntime.LibTorchVersion,
    ["torchsharp"] = typeof(torch).Assembly.GetName().Version?.ToString(3),
    ["load_average"] = Machine.LoadAverage(),
    ["quick"] = options.Quick,
    ["smoke"] = options.Smoke,
});

using var teacher = teacherSpec.Create(classes);
using var student = studentSpec.Create(classes);
var images = randn(b, 3, 32, 32);
var labels = randint(0, classes, b, dtype: ScalarType.Int64);
// Stage 2's global centres come from the teacher over a (small) synthetic training set, as Prepare computes them.
var centreSet = SyntheticCifar.Create(Math.Max(2 * classes, b), classes, seed: 1);

var stage1 = new RelationshipObjective(teacher, new SemiHardTripletMiner(), new TripletRelationshipLoss());
var stage1Tuple = new RelationshipObjective(teacher, new SemiHardTripletMiner(), new TupleRelationshipLoss());
var stage2 = new LocalClassifierObjective(teacher, new LocalClassifierLoss(), CentreSource.Global, b);
var ce = new CrossEntropyObjective("Scratch");

if (options.Profile) ProfileStage1();
StepBench("stage1_step", stage1, true);
StepBench("stage1_tuple_step", stage1Tuple, true);
StepBench("stage2_step", stage2, false);
StepBench("ce_step", ce, false);

if (options.Runs("eval_forward"))
{
    student.eval();
    var ms = Timing.MedianMs(options.Warmup, options.Repetitions, () =>
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        student.forward(images).sum().item<float>();
    });
    Emit(Step("eval_forward", ms, withTeacher: false));
}

if (options.Runs("miner"))
{
    var miner = new SemiHardTripletMiner();
    foreach (var minerBatch in new[] { 128, 256 })
    {
        using var scope = NewDisposeScope();
        var embedding = nn.functional.normalize(randn(minerBatch, student.EmbeddingSize), p: 2, dim: 1);
        var minerLabels = randint(0, classes, minerBatch, dtype: ScalarType.Int64);
        long count = 0;
        var ms = Timing.MedianMs(options.Warmup, options.Repetitions, () =>
        {
            using var inner = NewDisposeScope();
            count = miner.Mine(embedding, minerLabels).Count;
        });
        Emit(new JsonObject
        {
            ["name"] = "miner", ["batch"] = minerBatch, ["embedding"] = student.EmbeddingSize, ["classes"] = classes,
            ["threads"] = threads, ["ms"] = Round(ms), ["triplets"] = count,
        });
    }
}

if (options.Runs("loader"))
{
    // 128 images a batch as in training; enough batches per epoch that the prefetch pipeline is in steady state.
    const int loaderBatch = 128;
    var batches = options.Smoke ? 4 : options.Quick ? 10 : 40;
    var set = SyntheticCifar.Create(loaderBatch * batches, classes, seed: 2);
    var epoch = 0;
    var ms = Timing.MedianMs(1, options.Repetitions, () =>
    {
        foreach (var _ in Batches(new DataLoader(set, loaderBatch, shuffle: true, dropLast: true, augment: true, seed: 0, epoch: epoch++))) { }
    });
    Emit(new JsonObject
    {
        ["name"] = "loader", ["batch"] = loaderBatch, ["images"] = set.Count, ["augment"] = true, ["threads"] = threads,
        ["images_per_s"] = Round(set.Count / (ms / 1000)), ["ms_per_epoch"] = Round(ms),
    });
}

double? gflops = null;
if (options.Runs("gemm_gflops"))
{
    const int n = 2048;
    using var scope = NewDisposeScope();
    var x = randn(n, n);
    var y = randn(n, n);
    var ms = Timing.MedianMs(options.Warmup, options.Repetitions, () =>
    {
        using var inner = NewDisposeScope();
        x.matmul(y).Dispose();
    });
    gflops = 2.0 * n * n * n / (ms / 1000) / 1e9;
    Emit(new JsonObject { ["name"] = "gemm_gflops", ["n"] = n, ["threads"] = threads, ["gflops"] = Round(gflops.Value), ["ms"] = Round(ms) });
}

if (gflops is double ceiling && ConvFlops.ForwardMacs(studentSpec, classes) is long studentMacs &&
    ConvFlops.ForwardMacs(teacherSpec, classes) is long teacherMacs)
{
    // Backward ≈ 2× forward (input and weight gradients), so a training pass is ≈ 3× a forward.
    var flops = 2.0 * b * (teacherMacs + 3.0 * studentMacs);
    Emit(new JsonObject
    {
        ["name"] = "stage1_flops", ["arch"] = options.Arch, ["teacher"] = options.Teacher, ["batch"] = b,
        ["teacher_forward_gflop"] = Round(2.0 * b * teacherMacs / 1e9), ["student_train_gflop"] = Round(6.0 * b * studentMacs / 1e9),
        ["gflop"] = Round(flops / 1e9), ["gemm_gflops"] = Round(ceiling), ["floor_ms"] = Round(flops / ceiling / 1e6),
    });
}

if (options.Runs("pytorch_load"))
{
    // Import-Teacher's cost: the teacher saved as a PyTorch state dict, read back by the importer.
    var file = Path.Combine(Path.GetTempPath(), $"refilled-bench-{Guid.NewGuid():N}.pt");
    TorchSharp.PyBridge.PyTorchPickler.PickleStateDict(file, teacher.state_dict());
    try
    {
        var ms = Timing.MedianMs(1, options.Repetitions, () => PyTorchCheckpointImporter.Load(file, teacherSpec).Dispose());
        Emit(new JsonObject
        {
            ["name"] = "pytorch_load", ["arch"] = options.Teacher, ["mb"] = Round(new FileInfo(file).Length / 1e6), ["ms"] = Round(ms),
        });
    }
    finally
    {
        File.Delete(file);
    }
}

if (options.Runs("rss_mb")) RssEpochs();
Emit(new JsonObject { ["name"] = "done", ["load_average"] = Machine.LoadAverage() });
return 0;

void StepBench(string name, ITrainingObjective objective, bool isStage1)
{
    if (!options.Runs(name)) return;
    objective.Prepare(student, centreSet);
    // The trainer's optimiser over the objective's parameters, its hyper-parameters.
    using var optimizer = optim.SGD(objective.Parameters(student), 0.1, 0.9, 0, 5e-4, true);
    long triplets = 0;
    var profile = options.Profile ? new Dictionary<string, List<double>>() : null;
    var ms = Timing.MedianMs(options.Warmup, options.Repetitions, () =>
    {
        // One step exactly as Trainer.Run takes it.
        student.train();
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var clock = Stopwatch.StartNew();
        var step = objective.Step(student, images, labels);
        var loss = step.Loss.item<float>();
        Section(profile, "objective.Step+item", clock);
        if (!float.IsFinite(loss)) throw new InvalidOperationException($"{name}: loss {loss}");
        if (!step.Skipped)
        {
            step.Loss.backward();
            Section(profile, "backward", clock);
            optimizer.step();
            Section(profile, "optimizer.step", clock);
        }
        triplets = step.Triplets;
    });
    var line = Step(name, ms, withTeacher: name != "ce_step");
    if (isStage1) line["triplets"] = triplets;
    Emit(line);
    if (profile != null)
        foreach (var (section, samples) in profile)
            Console.Error.WriteLine($"# {name} {section}: median {Timing.Median(samples):F1} ms");
}

// The stage-1 step's parts, timed one by one (stderr): where the time of RelationshipObjective.Step goes.
void ProfileStage1()
{
    teacher.eval();
    student.train();
    var miner = new SemiHardTripletMiner();
    var loss = new TripletRelationshipLoss();
    using var optimizer = optim.SGD(student.BackboneParameters(), 0.1, 0.9, 0, 5e-4, true);
    var profile = new Dictionary<string, List<double>>();
    for (var rep = 0; rep < options.Warmup + options.Repetitions; rep++)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var clock = Stopwatch.StartNew();
        Tensor t;
        using (no_grad()) t = nn.functional.normalize(teacher.Embed(images), p: 2, dim: 1);
        t.sum().item<float>();
        Section(profile, "1 teacher forward (no_grad)", clock);
        var s = nn.functional.normalize(student.Embed(images), p: 2, dim: 1);
        s.sum().item<float>();
        Section(profile, "2 student forward", clock);
        var triplets = miner.Mine(s.detach(), labels);
        Section(profile, "3 miner", clock);
        var result = loss.Compute(s, t, triplets);
        result.Loss.item<float>();
        Section(profile, "4 triplet loss", clock);
        result.Loss.backward();
        Section(profile, "5 backward", clock);
        optimizer.step();
        Section(profile, "6 optimizer.step", clock);
        if (rep < options.Warmup) profile.Clear();
    }
    foreach (var (section, samples) in profile.OrderBy(p => p.Key))
        Console.Error.WriteLine($"# stage1 parts: {section}: median {Timing.Median(samples):F1} ms");
}

void Section(Dictionary<string, List<double>>? profile, string section, Stopwatch clock)
{
    if (profile is null) return;
    if (!profile.TryGetValue(section, out var list)) profile[section] = list = [];
    list.Add(clock.Elapsed.TotalMilliseconds);
    clock.Restart();
}

JsonObject Step(string name, double ms, bool withTeacher) => new()
{
    ["name"] = name, ["arch"] = options.Arch, ["teacher"] = withTeacher ? options.Teacher : null, ["batch"] = b,
    ["threads"] = threads, ["images_per_s"] = Round(b / (ms / 1000)), ["ms_per_step"] = Round(ms),
};

void RssEpochs()
{
    var set = SyntheticCifar.Create(b * options.RssBatches, classes, seed: 3);
    using var rssStudent = studentSpec.Create(classes);
    var trainer = new Trainer(new TrainingOptions { Epochs = 5, BatchSize = b, Threads = threads, Seed = 0 },
        new RelationshipObjective(teacher, new SemiHardTripletMiner(), new TripletRelationshipLoss()), new RssObserver());
    trainer.Run(rssStudent, set, null, CancellationToken.None);
}

IEnumerable<Batch> Batches(DataLoader loader)
{
    using var enumerator = loader.GetEnumerator();
    while (true)
    {
        using var scope = NewDisposeScope();
        if (!enumerator.MoveNext()) yield break;
        yield return enumerator.Current;
    }
}

static double Round(double value) => Math.Round(value, 2);

static void Emit(JsonObject line) => Console.Out.WriteLine(line.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));

namespace Refilled.Bench
{
    /// <summary>Writes one rss_mb line after each epoch, from the trainer's own thread.</summary>
    internal sealed class RssObserver : ITrainingObserver
    {
        public void OnBatch(BatchProgress progress) { }

        public void OnEpoch(EpochMetrics metrics) => Console.Out.WriteLine(new JsonObject
        {
            ["name"] = "rss_mb", ["epoch"] = metrics.Epoch, ["rss_mb"] = Math.Round(Machine.ResidentMegabytes(), 1),
            // The managed part of the RSS (GC heap incl. the loader's pixel arrays); the rest is native (libtorch, glibc).
            ["managed_mb"] = Math.Round(GC.GetGCMemoryInfo().HeapSizeBytes / 1048576.0, 1),
            ["batches"] = metrics.Batches, ["seconds"] = Math.Round(metrics.Seconds, 2),
        }.ToJsonString());
    }

    /// <summary>CIFAR-shaped uint8 images with uniform noise pixels and cycling labels, the CIFAR transforms.</summary>
    internal static class SyntheticCifar
    {
        public static ImageDataset Create(int count, int classes, int seed)
        {
            var random = new Random(seed);
            var images = new StoredImage[count];
            var labels = new int[count];
            for (var i = 0; i < count; i++)
            {
                var pixels = new byte[3 * 32 * 32];
                random.NextBytes(pixels);
                images[i] = new StoredImage(pixels, 3, 32, 32);
                labels[i] = i % classes;
            }
            var (train, test) = DatasetCatalog.Transforms(DatasetName.Cifar100);
            return new ImageDataset("synthetic-cifar", DatasetSplit.Train, images, labels, Enumerable.Range(0, count).ToArray(),
                Enumerable.Range(0, classes).ToArray(), null, train, test);
        }
    }
}
