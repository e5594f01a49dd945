using Refilled.Engine.Runtime;

namespace Refilled.Bench;

/// <summary>Command line: --quick, --smoke, --arch, --teacher, --batch, --image-size, --classes, --precision, --threads, --reps, --only, --profile.</summary>
internal sealed record BenchOptions
{
    public bool Quick { get; init; }
    /// <summary>The smallest run that still emits every line (the Pester test's mode).</summary>
    public bool Smoke { get; init; }
    public string Arch { get; init; } = "wrn-16-1";
    public string Teacher { get; init; } = "wrn-40-2";
    public int Batch { get; init; } = 128;
    public int Threads { get; init; } = Environment.ProcessorCount;
    public int Repetitions { get; init; } = 5;
    public int Warmup { get; init; } = 2;
    /// <summary>Short stage-1 epochs for the RSS line: batches per epoch.</summary>
    public int RssBatches { get; init; } = 10;
    public int Classes { get; init; } = 100;
    /// <summary>32 for the CIFAR networks, 224 for the CUB MobileNets.</summary>
    public int ImageSize { get; init; } = 32;
    /// <summary>The frozen networks' precision: the teacher in the distillation steps, the student in eval_forward.</summary>
    public Precision Precision { get; init; } = Precision.Float32;
    public HashSet<string>? Only { get; init; }
    /// <summary>Stopwatch sections of the stage-1 step on stderr.</summary>
    public bool Profile { get; init; }

    public bool Runs(string name) => Only is null || Only.Contains(name);

    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions();
        bool? quick = null, smoke = null;
        int? batch = null, reps = null, rss = null, warmup = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i].ToLowerInvariant())
            {
                case "--quick": quick = true; break;
                case "--smoke": smoke = true; break;
                case "--arch": o = o with { Arch = Next() }; break;
                case "--teacher": o = o with { Teacher = Next() }; break;
                case "--batch": batch = int.Parse(Next()); break;
                case "--threads": o = o with { Threads = int.Parse(Next()) }; break;
                case "--reps": reps = int.Parse(Next()); break;
                case "--warmup": warmup = int.Parse(Next()); break;
                case "--rss-batches": rss = int.Parse(Next()); break;
                case "--classes": o = o with { Classes = int.Parse(Next()) }; break;
                case "--image-size": o = o with { ImageSize = int.Parse(Next()) }; break;
                case "--precision": o = o with { Precision = Enum.Parse<Precision>(Next(), ignoreCase: true) }; break;
                case "--only": o = o with { Only = Next().Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet() }; break;
                case "--profile": o = o with { Profile = true }; break;
                case "-h" or "--help":
                    Console.Error.WriteLine("Refilled.Bench [--quick|--smoke] [--arch wrn-16-1] [--teacher wrn-40-2] [--batch 128] [--image-size 32] " +
                                            "[--classes 100] [--precision float32|bfloat16] [--threads N] [--reps 5] [--warmup 2] [--rss-batches 10] " +
                                            "[--only a,b] [--profile]");
                    Environment.Exit(0);
                    break;
                default: throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }
        // Quick keeps the full batch (so the numbers compare with full runs) but times fewer repetitions;
        // smoke shrinks everything and only proves that every line is produced.
        if (smoke == true) o = o with { Smoke = true, Quick = true, Batch = 16, Repetitions = 2, Warmup = 0, RssBatches = 1, Classes = 10 };
        else if (quick == true) o = o with { Quick = true, Batch = 32, Repetitions = 5, Warmup = 1, RssBatches = 2 };
        return o with
        {
            Batch = batch ?? o.Batch,
            Repetitions = Math.Max(reps ?? o.Repetitions, 1),
            Warmup = warmup ?? o.Warmup,
            RssBatches = rss ?? o.RssBatches,
        };
    }
}
