using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Refilled.Engine.Networks;

/// <summary>
/// An eval-mode BatchNorm after a convolution is a per-channel affine map, so it can live in the convolution:
/// W' = W·s, b' = (b − μ)·s + β with s = γ / √(σ² + ε). Exact up to float rounding; folded in place only for frozen
/// copies (<see cref="FrozenNetwork"/>), never for a module that trains or is saved; the ONNX export reads the folded
/// weights without touching the network.
/// </summary>
internal static class BatchNormFolding
{
    public static void Fold(Conv2d conv, BatchNorm2d bn)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (weight, bias) = Folded(conv, bn);
        conv.weight!.copy_(weight);
        if (conv.bias is null) conv.bias = new Parameter(bias.DetachFromDisposeScope(), requires_grad: false);
        else conv.bias.copy_(bias);
    }

    /// <summary>The folded weight and bias, in the convolution's dtype; computed in float64, so they round once.</summary>
    public static (Tensor Weight, Tensor Bias) Folded(Conv2d conv, BatchNorm2d bn)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var scale = bn.weight!.to_type(ScalarType.Float64) / (bn.running_var!.to_type(ScalarType.Float64) + bn.eps).sqrt();
        var weight = conv.weight!.to_type(ScalarType.Float64) * scale.reshape(-1, 1, 1, 1);
        var bias = conv.bias is null ? zeros_like(scale) : conv.bias.to_type(ScalarType.Float64);
        bias = (bias - bn.running_mean!.to_type(ScalarType.Float64)) * scale + bn.bias!.to_type(ScalarType.Float64);
        var dtype = conv.weight.dtype;
        return (weight.to_type(dtype).MoveToOuterDisposeScope(), bias.to_type(dtype).MoveToOuterDisposeScope());
    }
}
