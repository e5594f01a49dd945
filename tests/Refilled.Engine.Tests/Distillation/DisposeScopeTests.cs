using Refilled.Engine.Distillation;
using Refilled.Engine.Evaluation;
using Refilled.Engine.Methods;
using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Distillation;

public class DisposeScopeTests
{
    [Fact]
    public void TwoHundredIterationsOfLossAndBackwardLeaveNoLiveTensorBehind()
    {
        const int b = 48, classes = 6;
        var random = new RandomBatch(2024);
        using var outer = NewDisposeScope();
        var labels = random.Labels(b, classes);
        var studentRaw = random.NonNegative(b, 16).requires_grad_();
        var teacherRaw = random.NonNegative(b, 24);
        var logits = random.Normal(b, classes, scale: 2).requires_grad_();
        var teacherLogits = random.Normal(b, classes, scale: 2);
        var globalCentres = ClassCentres.Global(random.NonNegative(4 * b, 24), random.Labels(4 * b, classes), classes);
        var miner = new SemiHardTripletMiner();
        var triplet = new Stage1TripletLoss();
        var tuple = new Stage1TupleLoss();
        var stage2 = new Stage2Loss();
        var kd = new KnowledgeDistillationLoss(4, 0.9);

        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var iteration = 0; iteration < 200; iteration++)
        {
            using (var scope = NewDisposeScope())
            {
                var student = nn.functional.normalize(studentRaw, 2.0, 1, 1e-12);
                var teacher = nn.functional.normalize(teacherRaw, 2.0, 1, 1e-12);
                var triplets = miner.Mine(student, labels);
                var classesInBatch = ClassCentres.ClassesInBatch(labels);
                var total = triplet.Compute(student, teacher, triplets).Loss
                            + tuple.Compute(student, teacher, triplets).Loss
                            + stage2.Compute(logits, labels, teacherRaw, globalCentres.index_select(0, classesInBatch), classesInBatch).Loss
                            + stage2.Compute(logits, labels, teacherRaw, ClassCentres.Local(teacherRaw, labels, classesInBatch), classesInBatch).Loss
                            + kd.Compute(logits, teacherLogits, labels).Loss;
                total.backward();
                NearestClassMean.Accuracy(studentRaw, labels, NearestClassMean.Centres(studentRaw, labels, classes));
                Assert.False(triplets.IsEmpty);
                // The statistics do see this iteration's tensors, so an unchanged count below means they were freed.
                Assert.True(DisposeScopeManager.Statistics.ThreadTotalLiveCount > before);
            }
            Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
    }
}
