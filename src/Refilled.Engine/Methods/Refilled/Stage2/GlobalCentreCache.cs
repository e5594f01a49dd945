using System.Runtime.CompilerServices;
using Refilled.Engine.Data;
using Refilled.Engine.Distillation;
using Refilled.Engine.Evaluation;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>
/// The teacher's global class centres, computed once per (teacher, dataset, augmentation) in memory, with the teacher
/// in eval mode, from the plain images or from one augmented pass (as the released code, which reads its training
/// loader). Nothing is cached on disk, so a retrained teacher can never meet stale centres
/// (the released code reuses a centres file keyed only by name). The centres are returned on the teacher's current
/// device: a teacher moved to another student's device gets its cached centres moved with it.
/// </summary>
public static class GlobalCentreCache
{
    static readonly ConditionalWeakTable<RefilledNetwork, ConditionalWeakTable<ImageDataset, Tensor>> plain = new(), augmented = new();

    public static Tensor For(RefilledNetwork teacher, ImageDataset data, int batchSize, bool augment = false)
    {
        var perData = (augment ? augmented : plain).GetOrCreateValue(teacher);
        lock (perData)
        {
            if (perData.TryGetValue(data, out var centres))
            {
                var device = teacher.Device;
                if (DeviceSpec.Of(centres.device) == device) return centres;
                // The old copy is left to the finaliser: an objective prepared earlier may still hold it.
                var moved = centres.to(device.ToTorch());
                moved.DetachFromDisposeScope();
                perData.AddOrUpdate(data, moved);
                return moved;
            }
            using var pass = EvaluationPass.Run(teacher, data, batchSize, augment: augment);
            using (NewDisposeScope())
            {
                // Owned by the cache for the teacher's lifetime, not by any caller's scope.
                centres = ClassCentres.Global(pass.Embeddings, pass.Labels, data.NumClasses).detach();
                centres.DetachFromDisposeScope();
            }
            perData.Add(data, centres);
            return centres;
        }
    }
}
