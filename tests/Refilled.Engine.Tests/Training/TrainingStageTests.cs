using Refilled.Engine.Methods;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Training;

public class TrainingStageTests
{
    [Fact]
    public void EveryRecipeBuildsOptionsThatNameItsStage()
    {
        // The recipe is the stage's one name: the trainer writes histories under the stage of the options it is given.
        var data = ToyDigits.Create(2, 8, seed: 1);
        manual_seed(1);
        var teacher = new LabelledNetwork(NetworkSpec.SmallCnn.Create(2), [0, 1]);
        var student = new LabelledNetwork(NetworkSpec.SmallCnn.Create(2), [0, 1]);
        var recipes = Enum.GetValues<BaselineMethod>().Select(m => (StageRecipe)BaselineRecipe.For(m))
            .Concat([new PretrainingRecipe(), new Stage1Recipe(), new Stage2Recipe()]);
        var checkedPhases = 0;
        foreach (var phase in recipes.SelectMany(r => r.Phases()))
        {
            var (_, options) = phase.Build(teacher, student, data, new TrainingOptions());
            Assert.Equal(phase.Stage, options.Stage);
            checkedPhases++;
        }
        Assert.Equal(Enum.GetValues<BaselineMethod>().Length - 1 + 1 + 3, checkedPhases); // TeacherNcm trains nothing, FitNet twice
        teacher.Network.Dispose();
        student.Network.Dispose();
    }

    [Fact]
    public void ATrainedRkdStudentsHistoryAndCheckpointNameRkdAndCountItsEpochs()
    {
        // RKD's objective once wrote "RKD" while its recipe wrote "Rkd": its students were saved with 0 epochs.
        var data = ToyDigits.Create(2, 8, seed: 2);
        manual_seed(2);
        var teacher = new LabelledNetwork(NetworkSpec.SmallCnn.Create(3), [0, 1, 2]);
        var student = new LabelledNetwork(NetworkSpec.SmallCnn.Create(2), [0, 1]);
        var run = new TrainingRun(new RkdRecipe { Epochs = 2, BatchSize = 8 }, new TrainingOptions { Seed = 2, Threads = 2 });
        var history = run.Train(teacher, student, data, data, CancellationToken.None).Single().History;

        Assert.Equal([TrainingStage.Rkd, TrainingStage.Rkd], history.Select(h => h.Stage));
        var metadata = TrainingRun.Metadata(student, run.Recipe.Stage, history, 2, 2);
        Assert.Equal((nameof(TrainingStage.Rkd), 2), (metadata.Stage, metadata.Epochs));
        teacher.Network.Dispose();
        student.Network.Dispose();
    }

    [Fact]
    public void TheTrainerRefusesOptionsThatNameNoStage() =>
        Assert.Throws<ArgumentException>(() => new Trainer(new TrainingOptions(), new CrossEntropyObjective()));

    [Theory]
    [InlineData("RKD", TrainingStage.Rkd)]
    [InlineData("CRD", TrainingStage.Crd)]
    [InlineData("stage2", TrainingStage.Stage2)]
    [InlineData("FitNetHint", TrainingStage.FitNetHint)]
    public void OldSpellingsInFilesReadAsTheirStage(string written, TrainingStage stage) => Assert.Equal(stage, TrainingStages.Parse(written));

    [Theory]
    [InlineData(null)]
    [InlineData("teacher")]
    [InlineData("3")]
    public void ANameNoVersionWroteReadsAsNoStage(string? written) => Assert.Null(TrainingStages.Parse(written));

    [Fact]
    public void TwoStageFitNetsHintPhaseBelongsToIt()
    {
        Assert.Equal(TrainingStage.FitNetTwoStage, TrainingStage.FitNetHint.Owner());
        Assert.Equal(TrainingStage.FitNet, TrainingStage.FitNet.Owner());
        Assert.All(Enum.GetValues<BaselineMethod>(), m => Assert.Equal(m.ToString(), TrainingStages.Of(m).ToString()));
    }
}
