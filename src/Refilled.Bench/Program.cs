using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Refilled.Bench;
using Refilled.Engine.Checkpoints;
using Refilled.Engine.Checkpoints.Onnx;
using Refilled.Engine.Data;
using Refilled.Engine.Evaluation;
using Refilled.Engine.Methods;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using Refilled.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

// Prints one JSON object per line on stdout; anything else (progress, profiles) goes to stderr.
var options = BenchOptions.Parse(args);
// As the module does on import, before libtorch loads.
OpenMpWaiting.PreferShortSpin();
torch.set_num_threads(options.Threads);
// As Trainer.Run: freed activation buffers stay in the heap for the next step.
NativeHeap.KeepFreedPages();
manual_seed(0);
var threads = torch.get_num_threads();
var studentSpec = NetworkSpec.Parse(options.Arch);
var teacherSpec = NetworkSpec.Parse(options.Teacher);
int b = options.Batch, classes = options.Classes, size = options.ImageSize;
var precision = options.Precision.ToString().ToLowerInvariant();
// The networks take channels-last activations (ChannelsLast); frozen copies also hold channels-last weights.
const string memoryFormat = "channels_last";

Emit(new JsonObject
{
    ["name"] = "environment",
    ["threads"] = threads,
    ["cores"] = Environment.ProcessorCount,
    ["cpu"] = CpuInfo.Model,
    ["libtorch"] = TorchRuntime.LibTorchVersion,
    ["torchsharp"] = typeof(torch).Assembly.GetName().Version?.ToString(3),
    ["load_average"] = Machine.LoadAverage(),
    ["bf16_supported"] = BFloat16Support.IsSupported,
    ["precision"] = precision,
    ["memory_format"] = memoryFormat,
    ["image_size"] = size,
    ["quick"] = options.Quick,
    ["smoke"] = options.Smoke,
});

using var teacher = teacherSpec.Create(classes, size);
using var student = studentSpec.Create(classes, size);
var images = randn([b, .. student.InputShape]);
var labels = randint(0, classes, b, dtype: ScalarType.Int64);
// Stage 2's global centres come from the teacher over a (small) synthetic training set, as Prepare computes them.
var centreSet = SyntheticImages.Create(Math.Max(2 * classes, b), classes, seed: 1, size);

var stage1 = new Stage1Objective(teacher, new SemiHardTripletMiner(), new Stage1TripletLoss()) { TeacherPrecision = options.Precision };
var stage1Tuple = new Stage1Objective(teacher, new SemiHardTripletMiner(), new Stage1TupleLoss()) { TeacherPrecision = options.Precision };
var stage2 = new Stage2Objective(teacher, new Stage2Loss(), CentreSource.Global, b) { TeacherPrecision = options.Precision };
var ce = new CrossEntropyObjective();

if (options.Profile) ProfileStage1();
StepBench("stage1_step", stage1, images, labels);
StepBench("stage1_tuple_step", stage1Tuple, images, labels);
StepBench("stage2_step", stage2, images, labels);
StepBench("ce_step", ce, images, labels);

if (options.Runs("eval_forward"))
{
    // As Measure-Student and validation run it: a frozen copy (BatchNorm folded) under inference mode.
    using var frozen = FrozenNetwork.Of(student, options.Precision);
    var samples = Timing.SamplesMs(options.Warmup, options.Repetitions, () =>
    {
        using var scope = NewDisposeScope();
        frozen.Forward(images).sum().item<float>();
    });
    Emit(Step("eval_forward", samples, b, withTeacher: false));
}

// Deployed inference: the student exported to ONNX and run by ONNX Runtime beside TorchSharp's frozen copy, both with
// the bench's threads, on the same [0, 1] images (the ONNX graph normalises them; TorchSharp skips that multiply-add).
if (options.Runs("onnx_eval"))
{
    var file = Path.Combine(Path.GetTempPath(), $"refilled-bench-{Guid.NewGuid():N}.onnx");
    var normalisation = DatasetCatalog.NormalisationFor(student.InputShape) ?? ChannelNormalisation.ImageNet;
    OnnxExporter.Export(student, new OnnxModelMetadata(options.Arch, [.. Enumerable.Range(0, classes)], null, normalisation), file);
    try
    {
        using var onnx = OnnxClassifier.Load(file, threads);
        using var frozen = FrozenNetwork.Of(student);
        foreach (var evalBatch in options.Smoke ? new[] { 1, 16 } : [1, 128])
        {
            using var scope = NewDisposeScope();
            var pixels = rand([evalBatch, .. student.InputShape]);
            var pixelArray = pixels.data<float>().ToArray();
            // A single image takes milliseconds: more repetitions for a steady median.
            var repetitions = evalBatch == 1 ? 10 * options.Repetitions : options.Repetitions;
            var torchMs = Timing.SamplesMs(options.Warmup, repetitions, () =>
            {
                using var inner = NewDisposeScope();
                frozen.Forward(pixels).sum().item<float>();
            });
            var torchLine = Step("onnx_eval", torchMs, evalBatch, withTeacher: false);
            torchLine["runtime"] = "torchsharp";
            torchLine["precision"] = "float32";
            Emit(torchLine);
            var onnxMs = Timing.SamplesMs(options.Warmup, repetitions, () => onnx.Run(pixelArray, evalBatch));
            var onnxLine = Step("onnx_eval", onnxMs, evalBatch, withTeacher: false);
            onnxLine["runtime"] = "onnxruntime";
            onnxLine["precision"] = "float32";
            onnxLine["memory_format"] = "nchw";
            Emit(onnxLine);
        }
    }
    finally
    {
        File.Delete(file);
    }
}

// Evaluation at larger batches: where a batch falls off the caches (EvaluationPass.PixelBudget caps it).
if (options.Runs("eval_batch") && size > 64 && !options.Quick)
{
    using var frozen = FrozenNetwork.Of(student, options.Precision);
    foreach (var evalBatch in new[] { 32, 64, 128 })
    {
        using var scope = NewDisposeScope();
        var evalImages = randn([evalBatch, .. student.InputShape]);
        var samples = Timing.SamplesMs(1, 3, () =>
        {
            using var inner = NewDisposeScope();
            frozen.Forward(evalImages).sum().item<float>();
        });
        var line = Step("eval_batch", samples, evalBatch, withTeacher: false);
        line["capped_to"] = EvaluationPass.ForwardBatchSize(evalBatch, student.InputShape);
        Emit(line);
    }
}

// The stage-1 step at twice the batch: cost against work.
if (options.Runs("stage1_scaling") && !options.Quick)
{
    using var scope = NewDisposeScope();
    var bigImages = randn([2 * b, .. student.InputShape]);
    var bigLabels = randint(0, classes, 2 * b, dtype: ScalarType.Int64);
    StepBench("stage1_scaling", stage1, bigImages, bigLabels);
}

if (options.Runs("miner"))
{
    var miner = new SemiHardTripletMiner();
    var loss = new Stage1TripletLoss();
    foreach (var minerBatch in options.Smoke ? new[] { 128, 256 } : [128, 256, 512])
    {
        using var scope = NewDisposeScope();
        var embedding = nn.functional.normalize(randn(minerBatch, student.EmbeddingSize), p: 2, dim: 1);
        var teacherEmbedding = nn.functional.normalize(randn(minerBatch, teacher.EmbeddingSize), p: 2, dim: 1);
        var minerLabels = randint(0, classes, minerBatch, dtype: ScalarType.Int64);
        long count = 0;
        var minerMs = Timing.SamplesMs(options.Warmup, options.Repetitions, () =>
        {
            using var inner = NewDisposeScope();
            count = miner.Mine(embedding, minerLabels).Count;
        });
        var triplets = miner.Mine(embedding, minerLabels);
        // The loss and its backward, on the mined triplets, as the step computes them.
        var lossMs = Timing.SamplesMs(options.Warmup, options.Repetitions, () =>
        {
            using var inner = NewDisposeScope();
            var leaf = embedding.detach().requires_grad_();
            loss.Compute(leaf, teacherEmbedding, triplets).Loss.backward();
        });
        Emit(new JsonObject
        {
            ["name"] = "miner", ["batch"] = minerBatch, ["embedding"] = student.EmbeddingSize, ["classes"] = classes,
            ["threads"] = threads, ["ms"] = Round(Timing.Median(minerMs)), ["ms_min"] = Round(minerMs.Min()), ["ms_max"] = Round(minerMs.Max()),
            ["triplets"] = count, ["loss_ms"] = Round(Timing.Median(lossMs)), ["loss_ms_min"] = Round(lossMs.Min()), ["loss_ms_max"] = Round(lossMs.Max()),
        });
    }
}

if (options.Runs("loader"))
{
    // 128 images a batch as in training; enough batches per epoch that the prefetch pipeline is in steady state.
    const int loaderBatch = 128;
    var batches = options.Smoke ? 4 : options.Quick ? 10 : 40;
    var set = SyntheticImages.Create(loaderBatch * batches, classes, seed: 2, 32);
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

void StepBench(string name, ITrainingObjective objective, Tensor images, Tensor labels)
{
    if (!options.Runs(name)) return;
    var isStage1 = objective is Stage1Objective;
    objective.Prepare(student, centreSet, new TrainingPlan(1, (int)labels.shape[0], false, centreSet.Count));
    // The trainer's optimiser over the objective's parameters, its hyper-parameters.
    using var optimizer = optim.SGD(objective.Parameters(student), 0.1, 0.9, 0, 5e-4, true);
    long triplets = 0;
    var profile = options.Profile ? new Dictionary<string, List<double>>() : null;
    var samples = Timing.SamplesMs(options.Warmup, options.Repetitions, () =>
    {
        // One step exactly as Trainer.Run takes it.
        student.train();
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var clock = Stopwatch.StartNew();
        ObjectiveStep step;
        using (Autocast.For(options.Precision)) step = objective.Step(student, images, labels);
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
    var line = Step(name, samples, images.shape[0], withTeacher: objective is not CrossEntropyObjective);
    if (isStage1) line["triplets"] = triplets;
    Emit(line);
    if (profile != null)
        foreach (var (section, sectionMs) in profile)
            Console.Error.WriteLine($"# {name} {section}: median {Timing.Median(sectionMs):F1} ms");
}

// The stage-1 step's parts, timed one by one (stderr): where the time of Stage1Objective.Step goes.
void ProfileStage1()
{
    using var frozenTeacher = FrozenNetwork.Of(teacher, options.Precision);
    student.train();
    var miner = new SemiHardTripletMiner();
    var loss = new Stage1TripletLoss();
    using var optimizer = optim.SGD(student.BackboneParameters(), 0.1, 0.9, 0, 5e-4, true);
    var profile = new Dictionary<string, List<double>>();
    for (var rep = 0; rep < options.Warmup + options.Repetitions; rep++)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var clock = Stopwatch.StartNew();
        var t = nn.functional.normalize(frozenTeacher.Embed(images), p: 2, dim: 1);
        t.sum().item<float>();
        Section(profile, $"1 teacher forward (frozen, {precision})", clock);
        Stage1LossResult result;
        using (Autocast.For(options.Precision))
        {
            var s = nn.functional.normalize(student.Embed(images), p: 2, dim: 1);
            s.sum().item<float>();
            Section(profile, "2 student forward", clock);
            var triplets = miner.Mine(s.detach(), labels);
            Section(profile, "3 miner", clock);
            result = loss.Compute(s, t, triplets);
            result.Loss.item<float>();
            Section(profile, "4 triplet loss", clock);
        }
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

// images_per_s and ms_per_step are medians; the min / max of the repetitions show how steady a step is.
JsonObject Step(string name, double[] samples, long batch, bool withTeacher) => new()
{
    ["name"] = name, ["arch"] = options.Arch, ["teacher"] = withTeacher ? options.Teacher : null, ["batch"] = batch,
    ["image_size"] = size, ["precision"] = precision, ["memory_format"] = memoryFormat, ["threads"] = threads,
    ["images_per_s"] = Round(batch / (Timing.Median(samples) / 1000)), ["ms_per_step"] = Round(Timing.Median(samples)),
    ["ms_min"] = Round(samples.Min()), ["ms_max"] = Round(samples.Max()), ["page_faults"] = Math.Round(Timing.LastFaultsPerRepetition),
    ["load_average"] = Machine.LoadAverage(),
};

void RssEpochs()
{
    var set = SyntheticImages.Create(b * options.RssBatches, classes, seed: 3, size);
    using var rssStudent = studentSpec.Create(classes, size);
    var trainer = new Trainer(new TrainingOptions { Stage = TrainingStage.Stage1, Epochs = 5, BatchSize = b, Threads = threads, Seed = 0 },
        new Stage1Objective(teacher, new SemiHardTripletMiner(), new Stage1TripletLoss()) { TeacherPrecision = options.Precision },
        new RssObserver());
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

    /// <summary>
    /// Uniform noise uint8 images and cycling labels: 28 px grey with MNIST's transforms, 32 px with CIFAR's, or, for the
    /// photo networks, stored at 256 px with CUB's crops to the network's size.
    /// </summary>
    internal static class SyntheticImages
    {
        public static ImageDataset Create(int count, int classes, int seed, int size)
        {
            var random = new Random(seed);
            var images = new StoredImage[count];
            var labels = new int[count];
            var (channels, stored, like) = size switch
            {
                28 => (1, 28, DatasetName.Mnist),
                32 => (3, 32, DatasetName.Cifar100),
                _ => (3, 256, DatasetName.Cub200),
            };
            for (var i = 0; i < count; i++)
            {
                var pixels = new byte[channels * stored * stored];
                random.NextBytes(pixels);
                images[i] = new StoredImage(pixels, channels, stored, stored);
                labels[i] = i % classes;
            }
            var (train, test) = DatasetCatalog.Transforms(like);
            return new ImageDataset($"synthetic-{like}", DatasetSplit.Train, images, labels, Enumerable.Range(0, count).ToArray(),
                Enumerable.Range(0, classes).ToArray(), null, train, test);
        }
    }
}
