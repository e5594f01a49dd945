using System.Text.Json;
using Refilled.Engine.Distillation;
using Refilled.Engine.Methods;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Distillation;

/// <summary>
/// Every case in REFILLED_GOLDEN_BASELINES_DIR (default tests/fixtures/golden/baselines, written by
/// tests/reference/make_baseline_golden.py): RKD, attention transfer in both β conventions, and RepDistiller's FitNet.
/// </summary>
public class BaselineGoldenVectorTests
{
    public static TheoryData<string> Cases => new(GoldenCase.Names(RepositoryLayout.GoldenBaselinesDir));

    [Fact]
    public void TheBaselinesFolderHoldsCases() => Assert.NotEmpty(GoldenCase.Names(RepositoryLayout.GoldenBaselinesDir));

    [Theory, MemberData(nameof(Cases))]
    public void TheLossAndItsGradientMatch(string name)
    {
        var golden = GoldenCase.LoadFrom(RepositoryLayout.GoldenBaselinesDir, name);
        using var scope = NewDisposeScope();
        switch (golden.Kind)
        {
            case "rkd":
                CheckRkd(golden);
                break;
            case "attention_transfer":
                CheckAttentionTransfer(golden);
                break;
            case "fitnet":
                CheckFitNet(golden);
                break;
            default:
                Assert.Fail($"{name}: unknown kind '{golden.Kind}'");
                break;
        }
    }

    static void CheckRkd(GoldenCase golden)
    {
        var expected = golden.Expected;
        var student = golden.InputFloats("student_emb").requires_grad_();
        var result = new RkdLoss(golden.Param("distance_weight"), golden.Param("angle_weight"))
            .Compute(student, golden.InputFloats("teacher_emb"));
        TensorAssert.RelativelyClose(expected.GetProperty("distance_loss").GetDouble(), result.Distance, "RKD distance loss");
        TensorAssert.RelativelyClose(expected.GetProperty("angle_loss").GetDouble(), result.Angle, "RKD angle loss");
        TensorAssert.RelativelyClose(expected.GetProperty("loss").GetDouble(), result.Loss, "RKD loss");
        result.Loss.backward();
        CheckTensor(expected.GetProperty("grad_student_emb"), student.grad, "RKD dL/ds");
    }

    static void CheckAttentionTransfer(GoldenCase golden)
    {
        var expected = golden.Expected;
        var student = golden.Inputs.GetProperty("student_features").EnumerateArray().Select(f => GoldenCase.Floats(f).requires_grad_()).ToList();
        var teacher = golden.Inputs.GetProperty("teacher_features").EnumerateArray().Select(GoldenCase.Floats).ToList();
        Assert.NotEmpty(student);
        var convention = Enum.Parse<BetaConvention>(golden.Params.GetProperty("convention").GetString()!, ignoreCase: true);
        var loss = new AttentionTransferLoss(golden.Param("beta"), convention).Compute(student, teacher);
        TensorAssert.RelativelyClose(expected.GetProperty("loss").GetDouble(), loss, "AT loss");
        var maps = expected.GetProperty("attention_student").EnumerateArray().ToList();
        var gradients = expected.GetProperty("grad_student_features").EnumerateArray().ToList();
        Assert.Equal(student.Count, maps.Count);
        Assert.Equal(student.Count, gradients.Count);
        for (var l = 0; l < student.Count; l++) CheckTensor(maps[l], AttentionTransferLoss.Attention(student[l]), $"attention map {l}");
        loss.backward();
        for (var l = 0; l < student.Count; l++) CheckTensor(gradients[l], student[l].grad, $"AT dL/ds[{l}]");
    }

    /// <summary>ConvReg in eval mode with the case's weights and running statistics, then 100 × MSE against the teacher.</summary>
    static void CheckFitNet(GoldenCase golden)
    {
        var expected = golden.Expected;
        var student = golden.InputFloats("student_features").requires_grad_();
        var teacher = golden.InputFloats("teacher_features");
        using var hint = new FitNetHintLoss(student.shape[1..], teacher.shape[1..], FitNetHintRegressor.ConvBatchNormRelu);
        var parameters = hint.state_dict();
        using (no_grad())
            foreach (var entry in golden.Inputs.GetProperty("regressor").EnumerateObject())
                parameters["regressor." + entry.Name].copy_(GoldenCase.Floats(entry.Value));
        hint.eval();
        var loss = golden.Param("hint_weight") * hint.Compute(student, teacher);
        TensorAssert.RelativelyClose(expected.GetProperty("loss").GetDouble(), loss, "FitNet loss");
        loss.backward();
        CheckTensor(expected.GetProperty("grad_student_features"), student.grad, "FitNet dL/ds");
        foreach (var entry in expected.GetProperty("grad_regressor").EnumerateObject())
            CheckTensor(entry.Value, parameters["regressor." + entry.Name].grad, $"FitNet dL/d{entry.Name}");
        using (no_grad())
        {
            var unweighted = hint.Compute(student, teacher);
            TensorAssert.RelativelyClose(expected.GetProperty("hint_loss").GetDouble(), unweighted, "FitNet hint loss");
        }
    }

    static void CheckTensor(JsonElement expected, Tensor? actual, string what)
    {
        var (values, shape) = GoldenCase.Flatten(expected);
        TensorAssert.MaxRelativelyClose(values, shape, actual, what);
    }
}
