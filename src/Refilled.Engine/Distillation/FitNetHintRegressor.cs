namespace Refilled.Engine.Distillation;

/// <summary>The regressor that maps a FitNet student's guided group to the teacher's hint group.</summary>
public enum FitNetHintRegressor
{
    /// <summary>
    /// RepDistiller's ConvReg (models/util.py): a convolution chosen by the spatial sizes, then BatchNorm and ReLU.
    /// Student twice the teacher's size: 3×3, stride 2, padding 1; half: 4×4 transposed, stride 2, padding 1; otherwise
    /// at least the teacher's size: a (1 + Hs − Ht)×(1 + Ws − Wt) convolution without padding.
    /// </summary>
    ConvBatchNormRelu,
    /// <summary>Romero et al.'s regressor as a 1×1 convolution with bias: the two groups need the same spatial size.</summary>
    Conv1x1,
}
