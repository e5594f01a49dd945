using System.Collections;
using Refilled.Engine.Data;
using Refilled.Engine.Experiments;
using Refilled.Engine.Training;

namespace Refilled.Engine.Tests.Experiments;

/// <summary>The data, teacher and resources sections are their records' [ConfigKey] properties: one reader, writer and range check.</summary>
public class ConfigSectionTests
{
    /// <summary>A file with a teacher file, data and no resources (a sweep too, which these tests leave alone).</summary>
    const string Minimal = ExperimentTests.Valid;

    static void AssertSameKeys(object expected, object actual)
    {
        foreach (var key in RecipeKey.Of(expected.GetType()))
        {
            var (e, a) = (key.Property.GetValue(expected), key.Property.GetValue(actual));
            if (e is IEnumerable list and not string) Assert.Equal(list, (IEnumerable)a!);
            else Assert.Equal(e, a);
        }
    }

    [Fact]
    public void EveryKeyOfEverySectionRoundTripsThroughTheWrittenFile()
    {
        var folder = Path.GetFullPath(Path.GetTempPath());
        var config = Experiment.Parse(Minimal).Base with
        {
            Data = new DataConfig
            {
                Name = DatasetName.FashionMnist, Path = Path.Combine(folder, "fashion"), Classes = [1, 2], SamplesPerClass = 5,
                ValidationFraction = 0.3, Seed = 7, Test = false,
            },
            Teacher = new TeacherConfig { Pretrain = new PretrainConfig { Architecture = "smallcnn-16", Classes = [0, 3], ValidationFraction = 0.25, Seed = 4 } },
            Resources = new ResourcesConfig { Cpus = 8, Mem = "16G", Time = "02:00:00", Partition = "gpu" },
        };
        var yaml = ExperimentYaml.Write(config);
        var again = Experiment.Parse(yaml).Base;
        AssertSameKeys(config.Data, again.Data);
        AssertSameKeys(config.Teacher.Pretrain, again.Teacher!.Pretrain!);
        AssertSameKeys(config.Resources, again.Resources);
        Assert.Equal(yaml, ExperimentYaml.Write(again));
        // Every key a record declares and sets is written (none is left to a hand-kept writer); few-shot validation is the one unset here.
        foreach (var record in new object[] { config.Data, config.Teacher.Pretrain, config.Resources })
            foreach (var key in RecipeKey.Of(record.GetType()).Where(k => k.Property.GetValue(record) is not null))
                Assert.Contains($"  {key.Key}: ", yaml);
        Assert.Null(config.Data.ValidationPerClass);
    }

    [Fact]
    public void AnAbsentKeyTakesItsRecordsDefault()
    {
        var c = Experiment.Parse(Minimal).Base;
        AssertSameKeys(new DataConfig { Classes = [5, 6] }, c.Data);
        AssertSameKeys(new ResourcesConfig(), c.Resources);
        var fewShot = Experiment.Parse(Minimal.Replace("classes: [5, 6]", "classes: [5, 6], validation_per_class: 3")).Base.Data;
        Assert.Equal((3, 0.0), (fewShot.ValidationPerClass, fewShot.ValidationFraction));
        Assert.DoesNotContain("validation_fraction", ExperimentYaml.Write(c with { Data = fewShot }));
    }

    [Theory]
    [InlineData("data: { classes: [5, 6] }", "data: { classes: [5, 6], validation_fraction: 0.95 }", 2, 47, "'data.validation_fraction' must be between 0 and 0.9, not 0.95.")]
    [InlineData("data: { classes: [5, 6] }", "data: { classes: [5, -1] }", 2, 22, "'data.classes' must be between 0 and 2147483647, not -1.")]
    [InlineData("data: { classes: [5, 6] }", "data: { seed: 1 }", 2, 7, "'data' needs 'classes'.")]
    [InlineData("teacher: { file: teacher.refilled }", "teacher: { pretrain: { architecture: smallcnn } }", 3, 22, "'teacher.pretrain' needs 'classes'.")]
    [InlineData("teacher: { file: teacher.refilled }", "teacher: { file: [a] }", 3, 18, "'teacher.file' must be a text value, not a list.")]
    public void ABadValueIsReportedAtItsLineAndColumnWithItsKey(string line, string bad, long row, long column, string message)
    {
        var e = Assert.Throws<ExperimentValidationException>(() => Experiment.Parse(Minimal.Replace(line, bad), "x.yaml"));
        var error = Assert.Single(e.Errors);
        Assert.Equal((row, column, message), (error.Line, error.Column, error.Message));
    }

    [Fact]
    public void AResourceOutsideItsBoundsOrGrammarIsReportedWithItsKey()
    {
        var e = Assert.Throws<ExperimentValidationException>(() =>
            Experiment.Parse(Minimal + "\nresources: { cpus: 0, mem: lots, partition: 'a b' }", "x.yaml"));
        Assert.Equal(["'resources.cpus' must be between 1 and 4096, not 0.",
                "'resources.mem' must be a whole number with an optional K, M, G or T suffix, e.g. 8G, not 'lots'.",
                "'resources.partition' may only hold letters, digits, '_', '.' and '-', not 'a b'."],
            e.Errors.Select(x => x.Message));
        var unknown = Assert.Throws<ExperimentValidationException>(() => Experiment.Parse(Minimal + "\nresources: { gpus: 1 }"));
        Assert.Contains($"Valid keys: {string.Join(", ", RecipeKey.Of(typeof(ResourcesConfig)).Select(k => k.Key))}.", unknown.Errors.Single().Message);
    }
}
