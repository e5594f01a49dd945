using System.Diagnostics;
using Refilled.Engine.Experiments;

namespace Refilled.Engine.Tests.Experiments;

/// <summary>An experiment file and its paths are a shared cluster's input: nothing in them may become a command.</summary>
public sealed class SlurmArrayScriptTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("refilled-slurm-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static string Yaml(string resources) => $"""
        name: t
        data: {"{"} classes: [5, 6] {"}"}
        teacher: {"{"} file: teacher.refilled {"}"}
        student: {"{"} architecture: smallcnn-16 {"}"}
        stages:
          stage1: {"{"} epochs: 1 {"}"}
          stage2: {"{"} epochs: 1 {"}"}
        resources:
        {resources}
        """;

    [Fact]
    public void AMemoryWithALineBreakIsRefusedAtItsLineAndColumn()
    {
        var e = Assert.Throws<ExperimentValidationException>(() => Experiment.Parse(Yaml("  mem: \"4G\\ncurl x|sh\""), "x.yaml"));
        var error = Assert.Single(e.Errors);
        Assert.Equal((9L, 8L), (error.Line, error.Column));
        Assert.Contains("resources.mem", error.Message);
        Assert.Contains("8G", error.Message);
    }

    [Theory]
    [InlineData("mem", "8G --wrap=id")]
    [InlineData("mem", "8G\n")]
    [InlineData("mem", "８G")] // a full-width digit: \d would take it
    [InlineData("time", "1:00:00\n#SBATCH --uid=0")]
    [InlineData("time", "soon")]
    [InlineData("partition", "short --qos=high")]
    [InlineData("partition", "short;id")]
    public void AValueOutsideItsGrammarIsRefused(string key, string value) =>
        Assert.NotNull(SlurmResourceGrammar.Problem(key, value));

    [Theory]
    [InlineData("mem", "4096")]
    [InlineData("mem", "16G")]
    [InlineData("time", "90")]
    [InlineData("time", "90:30")]
    [InlineData("time", "02:00:00")]
    [InlineData("time", "2-12")]
    [InlineData("time", "2-12:30")]
    [InlineData("time", "2-12:30:00")]
    [InlineData("time", "UNLIMITED")]
    [InlineData("partition", "gpu_a100.long-1")]
    public void SlurmsOwnFormsAreAccepted(string key, string value) =>
        Assert.Null(SlurmResourceGrammar.Problem(key, value));

    [Fact]
    public void AResourceSetInCodeIsCheckedToo()
    {
        var e = Assert.Throws<ArgumentException>(() => SlurmResourceGrammar.EnsureValid(new ResourcesConfig { Time = "1\nrm -rf ~" }, "t"));
        Assert.Contains("time", e.Message);
    }

    [Fact]
    public void PathsWithEveryKindOfQuoteReachTheTaskIntact()
    {
        // Bash and PowerShell quotes, PowerShell's curly quotes (U+2018..U+201B, U+201C..U+201E) and substitutions.
        var odd = "a'b\"c$(touch pwned)`d‘e’f‚g‛h“i”j„k ; l";
        var folder = Directory.CreateDirectory(Path.Combine(dir, odd)).FullName;
        var yamlPath = Path.Combine(folder, "x.yaml");
        var experiment = Experiment.Parse(Yaml("  mem: 4G"), yamlPath);
        // The launcher prints what the task would receive, then ignores PowerShell's arguments.
        // The log folder goes on an #SBATCH line, where only '"' cannot be held.
        var output = Path.Combine(dir, "runs a'b‘c’$(touch pwned)");
        var script = SlurmArrayScript.Create(experiment, Path.Combine(folder, "Refilled.psd1"), output,
            "printf '%s\\n' \"$REFILLED_MODULE\" \"$REFILLED_EXPERIMENT\" \"$REFILLED_OUTPUT\"; :", folder);
        var scriptPath = Path.Combine(dir, "task.sh");
        File.WriteAllText(scriptPath, script);

        var bash = Process.Start(new ProcessStartInfo("bash", [scriptPath])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir,
            Environment = { ["SLURM_ARRAY_TASK_ID"] = "0" },
        })!;
        var printed = bash.StandardOutput.ReadToEnd();
        var errors = bash.StandardError.ReadToEnd();
        bash.WaitForExit();

        Assert.True(bash.ExitCode == 0, errors);
        Assert.Equal([Path.Combine(folder, "Refilled.psd1"), yamlPath, output], printed.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(File.Exists(Path.Combine(dir, "pwned")));
        Assert.True(Directory.Exists(Path.Combine(output, "t", "slurm")));
        Assert.DoesNotContain(odd, script.Split('\n').Single(l => l.Contains("Invoke-RefilledExperiment")));
    }

    [Fact]
    public void APercentInTheOutputPathIsNotASlurmPatternInTheLogFileName()
    {
        var experiment = Experiment.Parse(Yaml("  mem: 4G"), Path.Combine(dir, "x.yaml"));
        var output = Path.Combine(dir, "100%j");
        var script = SlurmArrayScript.Create(experiment, "Refilled.psd1", output, "pwsh", dir);
        Assert.Contains($"#SBATCH --output=\"{dir}/100%%j/t/slurm/%A_%a.out\"\n", script);
        Assert.Contains($"mkdir -p '{output}/t/slurm'", script);
    }
}
