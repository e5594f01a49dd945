using Refilled.Engine.Runtime;
using Refilled.Engine.Data;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Methods;

/// <summary>
/// The teacher-NCM baseline, no training (<see cref="TeacherNcm"/>): the student is the teacher's backbone whose
/// classifier holds the normalised class means of the teacher's embeddings of the training data, with no bias, so its
/// logits are the NCM scores ⟨x, c_k⟩ and every classifier measurement is the NCM one. The training keys do not apply;
/// <see cref="StageRecipe.BatchSize"/> is the batch of the embedding pass.
/// </summary>
public sealed record TeacherNcmRecipe : BaselineRecipe
{
    public override BaselineMethod Method => BaselineMethod.TeacherNcm;
    public override bool NeedsTeacher => true;

    public override IReadOnlyList<StageRecipe> Phases() => [];

    public override LabelledNetwork? StudentFrom(LabelledNetwork? teacher, LabelledNetwork student, ImageDataset data)
    {
        var ncm = TeacherBackbone(teacher, student, data);
        using var means = TeacherNcm.Fit(teacher!.Network, data, BatchSize);
        using (no_grad())
        {
            foreach (var p in ncm.Network.ClassifierParameters())
            {
                if (p.dim() == 2) p.copy_(means.Centres);
                else p.zero_();
            }
        }
        return ncm;
    }

    protected override ITrainingObjective Objective(RefilledNetwork? teacher, Precision teacherPrecision) =>
        throw new InvalidOperationException("Teacher NCM trains nothing: its student comes from StudentFrom.");
}
