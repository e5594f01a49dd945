using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Distillation;

/// <summary>
/// Class centres of raw teacher embeddings: c_k = normalise(Σ_{i: y_i = k} e_i), the normalised class mean
/// (the released code divides by the wrong count, which the normalisation cancels).
/// </summary>
public static class ClassCentres
{
    /// <summary>[numClasses, D] centres over a whole set; a class without samples gets the zero vector.</summary>
    public static Tensor Global(Tensor teacherRaw, Tensor labels, int numClasses)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var sums = zeros([numClasses, teacherRaw.shape[1]], teacherRaw.dtype, teacherRaw.device)
            .index_add_(0, labels, teacherRaw.detach(), 1);
        return scope.MoveToOuter(nn.functional.normalize(sums, 2.0, 1, 1e-12));
    }

    /// <summary>[|CB|, D] centres of the batch itself, one row per entry of <paramref name="classesInBatch"/>, in its order.</summary>
    public static Tensor Local(Tensor teacherRaw, Tensor labels, Tensor classesInBatch)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var membership = classesInBatch.unsqueeze(1).eq(labels.unsqueeze(0)).to_type(teacherRaw.dtype);   // [|CB|, B]
        var sums = membership.matmul(teacherRaw.detach());
        return scope.MoveToOuter(nn.functional.normalize(sums, 2.0, 1, 1e-12));
    }

    /// <summary>Ascending int64 ids of the classes present in <paramref name="labels"/> (the column subset CB of stage 2).</summary>
    public static Tensor ClassesInBatch(Tensor labels)
    {
        using var scope = NewDisposeScope();
        var (classes, _, _) = labels.to_type(ScalarType.Int64).unique(sorted: true);
        return scope.MoveToOuter(classes);
    }
}
