using Refilled.Engine.Distillation;
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
        using var hint = new FitNetHintLoss(c, c);
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
    public void TheHintLossRejectsMapsOfDifferentSpatialSize()
    {
        using var hint = new FitNetHintLoss(4, 8);
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => hint.Compute(randn(2, 4, 7, 7), randn(2, 8, 14, 14)));
        Assert.Contains("same B, H and W", e.Message);
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
        using var crd = new CrdLoss(8, 20, labels);
        Assert.Equal(records - perClass, crd.Negatives);
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
    public void CrdDrawsAtMostTheRecordsOutsideTheLargestClass()
    {
        using var scope = NewDisposeScope();
        using var small = new CrdLoss(4, 4, tensor(new long[] { 0, 0, 0, 1, 1, 2 }));
        Assert.Equal(3, small.Negatives);
        using var large = new CrdLoss(4, 4, arange(40000, dtype: ScalarType.Int64).remainder(10));
        Assert.Equal(CrdLoss.DefaultNegatives, large.Negatives);
        Assert.Throws<ArgumentException>(() => new CrdLoss(4, 4, zeros(5, dtype: ScalarType.Int64)));
    }
}
