using Refilled.Engine.Distillation;
using Refilled.Engine.Methods;
using Refilled.Engine.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Distillation;

/// <summary>Properties of the FitNet hint and CRD losses (no golden vectors for these two).</summary>
public class FeatureLossPropertyTests
{
    public static TheoryData<int> Seeds => new(Enumerable.Range(0, 4).Select(i => 17 + 15485863 * i));

    [Theory, MemberData(nameof(Seeds))]
    public void TheHintLossIsZeroWithZeroGradientWhenTheStudentIsTheTeacherThroughAnIdentityRegressor(int seed)
    {
        var random = new RandomBatch(seed);
        int b = random.Next(2, 9), c = random.Next(1, 17), h = random.Next(1, 9);
        using var scope = NewDisposeScope();
        using var hint = new FitNetHintLoss([c, h, h], [c, h, h], FitNetHintRegressor.Conv1x1);
        using (no_grad())
        {
            var parameters = hint.state_dict();
            parameters["regressor.weight"].copy_(eye(c).view(c, c, 1, 1));
            parameters["regressor.bias"].zero_();
        }
        var teacher = random.Normal(b, c * h * h).view(b, c, h, h);
        var student = teacher.clone().requires_grad_();
        var loss = hint.Compute(student, teacher);
        loss.backward();
        Assert.Equal(0f, loss.item<float>());
        Assert.Equal(0f, student.grad!.abs().max().item<float>());
        Assert.All(hint.parameters(), p => Assert.Equal(0f, p.grad!.abs().max().item<float>()));

        // Any other student is penalised, and the gradient reaches the regressor.
        var other = (teacher + random.Normal(b, c * h * h).view(b, c, h, h)).requires_grad_();
        var worse = hint.Compute(other, teacher);
        Assert.True(worse.item<float>() > 0);
    }

    [Fact]
    public void TheOneByOneHintLossRejectsMapsOfDifferentSpatialSize()
    {
        using var hint = new FitNetHintLoss([4, 7, 7], [8, 7, 7], FitNetHintRegressor.Conv1x1);
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => hint.Compute(randn(2, 4, 7, 7), randn(2, 8, 14, 14)));
        Assert.Contains("same spatial size", e.Message);
    }

    [Theory]
    [InlineData(16, 8)]   // twice the teacher's size: 3×3, stride 2
    [InlineData(8, 16)]   // half: 4×4 transposed, stride 2
    [InlineData(8, 8)]    // the same: 1×1
    [InlineData(9, 6)]    // larger, not twice: 4×4
    public void ConvRegMapsTheStudentsGroupToTheTeachersShape(int studentSize, int teacherSize)
    {
        using var scope = NewDisposeScope();
        using var hint = new FitNetHintLoss([3, studentSize, studentSize], [5, teacherSize, teacherSize]);
        var student = randn(2, 3, studentSize, studentSize).requires_grad_();
        var loss = hint.Compute(student, randn(2, 5, teacherSize, teacherSize));
        loss.backward();
        Assert.True(loss.item<float>() > 0);
        Assert.True(student.grad!.abs().sum().item<float>() > 0);
        // BatchNorm then ReLU: the regressed map is non-negative, whatever the conv.
        Assert.Contains("regressor.bn.running_mean", hint.state_dict().Keys);
    }

    [Fact]
    public void ConvRegRefusesAStudentSmallerThanTheTeacherButNotHalf()
    {
        var e = Assert.Throws<ArgumentException>(() => new FitNetHintLoss([3, 6, 6], [5, 8, 8]));
        Assert.Contains("twice, half or at least", e.Message);
    }

    [Theory, MemberData(nameof(Seeds))]
    public void CrdLossGoesDownOnASeparableProblem(int seed)
    {
        var random = new RandomBatch(seed);
        const int classes = 4, perClass = 16, records = classes * perClass, batch = 16;
        using var scope = NewDisposeScope();
        manual_seed(seed);
        var labels = arange(records, dtype: ScalarType.Int64).remainder(classes);
        // Inputs clustered by class; the teacher sees them through a fixed map, the student learns its own.
        var prototypes = random.Normal(classes, 12, scale: 3);
        var inputs = prototypes.index_select(0, labels) + random.Normal(records, 12, scale: 0.3);
        var teacher = inputs.matmul(random.Normal(12, 20));
        using var student = nn.Linear(12, 8);
        using var crd = new CrdLoss(8, 20, labels, negatives: 32);
        using var optimizer = optim.SGD(student.parameters().Concat(crd.parameters()), 0.05, 0.9);
        var epochLosses = new List<double>();
        for (var epoch = 0; epoch < 12; epoch++)
        {
            double sum = 0;
            var order = randperm(records);
            for (var start = 0; start < records; start += batch)
            {
                using var step = NewDisposeScope();
                var rows = order.narrow(0, start, batch);
                optimizer.zero_grad();
                var loss = crd.Compute(student.call(inputs.index_select(0, rows)), teacher.index_select(0, rows), rows);
                loss.backward();
                optimizer.step();
                sum += loss.item<float>();
            }
            epochLosses.Add(sum / (records / batch));
        }
        Assert.All(epochLosses, l => Assert.True(double.IsFinite(l)));
        Assert.True(epochLosses.TakeLast(3).Average() < 0.5 * epochLosses.Take(3).Average(),
            $"CRD loss by epoch: {string.Join(", ", epochLosses.Select(l => l.ToString("0.000")))}");
    }

    [Fact]
    public void CrdDrawsDistinctNegativesOutsideTheClassAndRepeatsThemOnlyWhenTooFewRemain()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        // Class 0 leaves 3 records outside it, class 1 leaves 4, class 2 leaves 5: K = 4 fits classes 1 and 2 only.
        var labels = tensor(new long[] { 0, 0, 0, 1, 1, 2 });
        using var crd = new CrdLoss(4, 4, labels, negatives: 4);
        Assert.Equal(4, crd.Negatives);
        var records = new long[] { 0, 3, 5, 1, 4 };
        var drawn = crd.SampleNegatives(tensor(records));
        Assert.Equal([5L, 4], drawn.shape);
        var label = labels.data<long>().ToArray();
        for (var row = 0; row < records.Length; row++)
        {
            var negatives = drawn[row].data<long>().ToArray();
            Assert.All(negatives, n => Assert.NotEqual(label[records[row]], label[n]));
                if (label[records[row]] != 0) Assert.Equal(negatives.Length, negatives.Distinct().Count());
        }
        // The default K stays 16,384 on a small set (the released noise term K/N), drawn with replacement.
        using var small = new CrdLoss(4, 4, labels);
        Assert.Equal(CrdRecipe.DefaultNegatives, small.Negatives);
        Assert.Throws<ArgumentException>(() => new CrdLoss(4, 4, zeros(5, dtype: ScalarType.Int64)));
    }
}
