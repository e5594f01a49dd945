using Refilled.Engine.Data;
using Refilled.Engine.Networks;
using Refilled.Engine.Runtime;
using static TorchSharp.torch;

namespace Refilled.Engine.Training;

/// <summary>
/// The frozen copy of its teacher that a distillation objective reads: made when the stage is prepared (the teacher in
/// eval mode on the student's device), or at the first step for callers that step without preparing. Preparing again
/// replaces it. Objectives that read the teacher's embedding may also have it tabulated for the stage's training data.
/// </summary>
internal sealed class FrozenTeacher(RefilledNetwork teacher)
{
    FrozenNetwork? copy;
    TeacherEmbeddingTable? embeddings;

    public void Prepare(RefilledNetwork student, Precision precision)
    {
        Release();
        copy?.Dispose();
        copy = teacher.FreezeAsTeacherOf(student, precision);
    }

    /// <summary>Prepares, and tabulates the teacher's embeddings of <paramref name="train"/> where that pays for <paramref name="plan"/>.</summary>
    public void PrepareEmbeddings(RefilledNetwork student, Precision precision, ImageDataset train, TrainingPlan plan)
    {
        Prepare(student, precision);
        embeddings = TeacherEmbeddingTable.Lease(teacher, copy!, train, plan, student.Device);
    }

    public FrozenNetwork Get(Precision precision) => copy ??= FrozenNetwork.Of(teacher, precision);

    /// <summary>The teacher's embedding of the batch's images, [N, EmbeddingSize] float32: from the table when it has them.</summary>
    public Tensor Embed(Batch batch, Precision precision) => embeddings?.Lookup(batch) ?? Get(precision).Embed(batch.Images);

    /// <summary>Gives the table back (the run that needed it is over); the frozen copy stays for later steps.</summary>
    public void Release()
    {
        embeddings?.Return();
        embeddings = null;
    }
}
