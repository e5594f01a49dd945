using Refilled.Engine.Data;
using Refilled.Engine.Evaluation;
using Refilled.Engine.Networks;
using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>
/// The TeacherNcm baseline, no training: the teacher's embedding classifies the student's classes by nearest class
/// mean (<see cref="NearestClassMean"/>), with the means taken over the student's training data.
/// </summary>
public sealed class TeacherNcm : IDisposable
{
    readonly RefilledNetwork teacher;

    TeacherNcm(RefilledNetwork teacher, Tensor centres)
    {
        this.teacher = teacher;
        Centres = centres;
    }

    /// <summary>[classes, D] normalised class means of the teacher's embeddings of the training data.</summary>
    public Tensor Centres { get; }

    public static TeacherNcm Fit(RefilledNetwork teacher, ImageDataset train, int batchSize)
    {
        RequireInputs(teacher, train);
        using var pass = EvaluationPass.Run(teacher, train, batchSize);
        using (NewDisposeScope())
        {
            // Owned by this object, not by any caller's scope.
            var centres = NearestClassMean.Centres(pass.Embeddings, pass.Labels, train.NumClasses).detach();
            centres.DetachFromDisposeScope();
            return new TeacherNcm(teacher, centres);
        }
    }

    /// <summary>NCM accuracy on <paramref name="data"/>, which must have the training data's classes.</summary>
    public double Accuracy(ImageDataset data, int batchSize)
    {
        RequireInputs(teacher, data);
        if (data.NumClasses != Centres.shape[0])
            throw new ArgumentException($"The data has {data.NumClasses} classes; the class means were taken over {Centres.shape[0]}.", nameof(data));
        using var pass = EvaluationPass.Run(teacher, data, batchSize);
        return NearestClassMean.Accuracy(pass.Embeddings, pass.Labels, Centres);
    }

    static void RequireInputs(RefilledNetwork teacher, ImageDataset data)
    {
        if (!teacher.InputShape.SequenceEqual(data.ImageShape))
            throw new ArgumentException(
                $"The teacher {teacher.Spec} reads [{string.Join(", ", teacher.InputShape)}] images; {data.Name} has [{string.Join(", ", data.ImageShape)}].",
                nameof(data));
    }

    public void Dispose() => Centres.Dispose();
}
