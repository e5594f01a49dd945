using Refilled.Engine.Methods;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Training;

public class TrainingStageTests
{
    [Fact]
    public void EveryRecipesObjectiveNamesItsStageAsTheRecipeDoes()
    {
        // Histories are written by the objective, the model's stage by the recipe: RKD and CRD once disagreed.
        var data = ToyDigits.Create(2, 8, seed: 1);
        manual_seed(1);
        var teacher = new LabelledNetwork(NetworkSpec.SmallCnn.Create(2), [0, 1]);
        var student = new LabelledNetwork(NetworkSpec.SmallCnn.Create(2), [0, 1]);
        var recipes = Enum.GetValues<BaselineMethod>().Select(m => (StageRecipe)BaselineRecipe.For(m))
            .Concat([new PretrainingRecipe(), new Stage1Recipe(), new Stage2Recipe()]);
        var checkedPhases = 0;
        foreach (var phase in recipes.SelectMany(r => r.Phases()))
        {
            var (objective, _) = phase.Build(teacher, student, data, new TrainingOptions());
            Assert.Equal(phase.Stage, objective.Stage);
            checkedPhases++;
        }
        Assert.Equal(Enum.GetValues<BaselineMethod>().Length - 1 + 1 + 3, checkedPhases); // TeacherNcm trains nothing, FitNet twice
        teacher.Network.Dispose();
        student.Network.Dispose();
    }

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
