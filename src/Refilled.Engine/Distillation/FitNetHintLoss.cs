using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Refilled.Engine.Distillation;

/// <summary>
/// The FitNets hint loss, Romero et al., "FitNets: Hints for Thin Deep Nets", ICLR 2015: mean((r(s) − t)²) between the
/// teacher's hint layer t [B, Ct, Ht, Wt] and the student's guided layer s [B, Cs, Hs, Ws] mapped by a learned regressor
/// r (<see cref="FitNetHintRegressor"/>); the mean squared error is RepDistiller's HintLoss. The regressor's parameters train
/// with the student.
/// </summary>
public sealed class FitNetHintLoss : Module
{
    // Field name is the state_dict key.
    readonly Module<Tensor, Tensor> regressor;

    /// <param name="student">The guided group's [C, H, W].</param>
    /// <param name="teacher">The hint group's [C, H, W].</param>
    public FitNetHintLoss(long[] student, long[] teacher, FitNetHintRegressor kind = FitNetHintRegressor.ConvBatchNormRelu, Device? device = null)
        : base(nameof(FitNetHintLoss))
    {
        if (!Fits(kind, student, teacher))
            throw new ArgumentException(
                $"The {kind} hint regressor cannot map a {student[1]}×{student[2]} student group to a {teacher[1]}×{teacher[2]} " +
                $"teacher group: {Rule(kind)}.", nameof(teacher));
        Kind = kind;
        regressor = kind == FitNetHintRegressor.Conv1x1
            ? Conv2d(student[0], teacher[0], 1, device: device)
            : new ConvBatchNormRelu(student, teacher, device);
        RegisterComponents();
    }

    public FitNetHintRegressor Kind { get; }

    /// <summary>Whether <paramref name="kind"/> maps a [C, H, W] student group to the teacher's spatial size.</summary>
    public static bool Fits(FitNetHintRegressor kind, long[] student, long[] teacher) => kind == FitNetHintRegressor.Conv1x1
        ? student[1] == teacher[1] && student[2] == teacher[2]
        : student[1] == 2 * teacher[1] || 2 * student[1] == teacher[1] || (student[1] >= teacher[1] && student[2] >= teacher[2]);

    /// <summary>The spatial sizes <paramref name="kind"/> accepts, in words.</summary>
    public static string Rule(FitNetHintRegressor kind) => kind == FitNetHintRegressor.Conv1x1
        ? "the groups need the same spatial size"
        : "the student's group must be twice, half or at least the teacher's spatial size";

    /// <param name="student">The student's guided-layer output, [B, Cs, Hs, Ws].</param>
    /// <param name="teacher">The teacher's hint-layer output, [B, Ct, Ht, Wt] (a constant).</param>
    public Tensor Compute(Tensor student, Tensor teacher)
    {
        if (student.dim() != 4 || teacher.dim() != 4 || student.shape[0] != teacher.shape[0]
            || !Fits(Kind, student.shape[1..], teacher.shape[1..]))
            throw new ArgumentException(
                $"The FitNet hint needs [B, C, H, W] maps with the same B where {Rule(Kind)}: student [{string.Join(", ", student.shape)}], " +
                $"teacher [{string.Join(", ", teacher.shape)}].", nameof(teacher));
        return functional.mse_loss(regressor.call(student), teacher.detach());
    }

    /// <summary>RepDistiller's ConvReg: the convolution its spatial rule picks, BatchNorm over the teacher's channels, ReLU.</summary>
    sealed class ConvBatchNormRelu : Module<Tensor, Tensor>
    {
        // Field names are the state_dict keys, as RepDistiller's.
        readonly Module<Tensor, Tensor> conv;
        readonly TorchSharp.Modules.BatchNorm2d bn;

        public ConvBatchNormRelu(long[] s, long[] t, Device? device) : base("ConvReg")
        {
            conv = s[1] == 2 * t[1] ? Conv2d(s[0], t[0], 3, stride: 2, padding: 1, device: device)
                : 2 * s[1] == t[1] ? ConvTranspose2d(s[0], t[0], 4, stride: 2, padding: 1, device: device)
                : Conv2d(s[0], t[0], (1 + s[1] - t[1], 1 + s[2] - t[2]), device: device);
            bn = BatchNorm2d(t[0], device: device);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => functional.relu(bn.call(conv.call(x)));
    }
}
