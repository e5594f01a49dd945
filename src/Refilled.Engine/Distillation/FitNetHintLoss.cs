using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Refilled.Engine.Distillation;

/// <summary>
/// The FitNets hint loss, Romero et al., "FitNets: Hints for Thin Deep Nets", ICLR 2015: mean((r(s) − t)²) between the
/// teacher's hint layer t [B, Ct, H, W] and the student's guided layer s [B, Cs, H, W] mapped by a learned 1×1
/// convolutional regressor r (Cs → Ct, with bias); the mean squared error is the released CRD code's HintLoss.
/// The regressor's parameters train with the student.
/// </summary>
public sealed class FitNetHintLoss : Module
{
    // Field name is the state_dict key.
    readonly Conv2d regressor;

    public FitNetHintLoss(long studentChannels, long teacherChannels, Device? device = null) : base(nameof(FitNetHintLoss))
    {
        regressor = Conv2d(studentChannels, teacherChannels, 1, device: device);
        RegisterComponents();
    }

    /// <param name="student">The student's guided-layer output, [B, Cs, H, W].</param>
    /// <param name="teacher">The teacher's hint-layer output, [B, Ct, H, W] (a constant).</param>
    public Tensor Compute(Tensor student, Tensor teacher)
    {
        if (student.dim() != 4 || teacher.dim() != 4 || student.shape[0] != teacher.shape[0]
            || student.shape[2] != teacher.shape[2] || student.shape[3] != teacher.shape[3])
            throw new ArgumentException(
                $"The FitNet hint needs [B, C, H, W] maps with the same B, H and W: student [{string.Join(", ", student.shape)}], " +
                $"teacher [{string.Join(", ", teacher.shape)}].", nameof(teacher));
        return functional.mse_loss(regressor.call(student), teacher.detach());
    }
}
