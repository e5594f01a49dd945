using TorchSharp;
using static TorchSharp.torch;
using Refilled.Engine.Training;

namespace Refilled.Engine.Methods;

/// <summary>
/// Relational knowledge distillation, Park, Kim, Lu, Cho, "Relational Knowledge Distillation", CVPR 2019: the student's
/// pairwise distances (each normalised by its batch mean) and triplet angles are pulled to the teacher's by a smooth-L1
/// loss, on embeddings as given: w_d · mean smoothL1(ψ_D(s) − ψ_D(t)) + w_a · mean smoothL1(ψ_A(s) − ψ_A(t)).
/// Student and teacher embeddings may differ in width.
/// </summary>
public sealed class RkdLoss
{
    const double DistanceEpsilon = 1e-12;

    public RkdLoss(double distanceWeight = RkdRecipe.DefaultDistanceWeight, double angleWeight = RkdRecipe.DefaultAngleWeight)
    {
        if (!(distanceWeight >= 0)) throw new ArgumentOutOfRangeException(nameof(distanceWeight), distanceWeight, "The distance weight must be non-negative.");
        if (!(angleWeight >= 0)) throw new ArgumentOutOfRangeException(nameof(angleWeight), angleWeight, "The angle weight must be non-negative.");
        DistanceWeight = distanceWeight;
        AngleWeight = angleWeight;
    }

    public double DistanceWeight { get; }
    public double AngleWeight { get; }

    /// <param name="student">[B, Ds] student embeddings.</param>
    /// <param name="teacher">[B, Dt] teacher embeddings (a constant).</param>
    public RkdLossResult Compute(Tensor student, Tensor teacher)
    {
        if (student.shape[0] != teacher.shape[0])
            throw new ArgumentException($"RKD needs one teacher embedding per student embedding ({student.shape[0]} vs {teacher.shape[0]}).", nameof(teacher));
        using var scope = NewDisposeScope();
        Tensor teacherDistances, teacherAngles;
        using (no_grad())
        {
            teacherDistances = NormalisedDistances(teacher.detach());
            teacherAngles = Angles(teacher.detach());
        }
        var distance = nn.functional.smooth_l1_loss(NormalisedDistances(student), teacherDistances);
        var angle = nn.functional.smooth_l1_loss(Angles(student), teacherAngles);
        var loss = DistanceWeight * distance + AngleWeight * angle;
        scope.MoveToOuter(loss, distance, angle);
        return new RkdLossResult(loss, distance, angle);
    }

    /// <summary>[B, B] Euclidean distances (zero diagonal) over the mean of the positive ones.</summary>
    static Tensor NormalisedDistances(Tensor e)
    {
        var squared = e.pow(2).sum(1);
        var gram = e.matmul(e.t());
        var distances = (squared.unsqueeze(1) + squared.unsqueeze(0) - 2 * gram).clamp_min(DistanceEpsilon).sqrt();
        distances = distances * (1 - eye(e.shape[0], dtype: e.dtype, device: e.device));
        return distances / distances.masked_select(distances.gt(0)).mean();
    }

    /// <summary>[B·B·B] cosines ⟨u_ij, u_ik⟩ of the unit difference vectors u_ij = (e_j − e_i)/|e_j − e_i|.</summary>
    static Tensor Angles(Tensor e)
    {
        var differences = nn.functional.normalize(e.unsqueeze(0) - e.unsqueeze(1), p: 2, dim: 2);
        return differences.bmm(differences.transpose(1, 2)).flatten();
    }
}
