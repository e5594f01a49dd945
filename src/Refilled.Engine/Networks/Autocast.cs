using Refilled.Engine.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Refilled.Engine.Networks;

/// <summary>
/// Mixed precision for a network that trains, as PyTorch's CPU autocast does it (TorchSharp 0.107 has no autocast):
/// inside a scope on this thread, convolutions run in bfloat16 on bfloat16 casts of their float32 weights, so autograd
/// hands float32 gradients to the float32 master weights; BatchNorm keeps its float32 parameters and running statistics
/// (libtorch normalises bfloat16 activations with them); a network's features leave it in float32, so mining, losses
/// and the classifier stay float32. The scope is per thread, like dispose scopes.
/// </summary>
public static class Autocast
{
    [ThreadStatic] static int depth;

    /// <summary>Whether convolutions on this thread run in bfloat16 now.</summary>
    public static bool IsActive => depth > 0;

    /// <summary>A scope in which <see cref="Precision.BFloat16"/> trains under mixed precision; Float32 changes nothing.</summary>
    /// <exception cref="NotSupportedException">BFloat16 on a CPU without native bfloat16 arithmetic.</exception>
    public static IDisposable For(Precision precision)
    {
        BFloat16Support.EnsureSupported(precision);
        if (precision != Precision.BFloat16) return Scope.None;
        depth++;
        return new Scope();
    }

    /// <summary><paramref name="conv"/> applied to <paramref name="x"/>, in bfloat16 inside a scope.</summary>
    internal static Tensor Conv(Conv2d conv, Tensor x)
    {
        if (!IsActive || conv.weight!.dtype == ScalarType.BFloat16) return conv.call(x);
        const ScalarType half = ScalarType.BFloat16;
        var (input, weight, bias) = (x.to_type(half), conv.weight.to_type(half), conv.bias?.to_type(half));
        // oneDNN 3.7 (libtorch 2.10) computes a strided depthwise convolution's input gradient in bfloat16 with a generic
        // grouped kernel: 19-27 ms each for MobileNet-0.5's four stride-2 layers at 224 px, batch 32, against 0.1-1.3 ms
        // for a stride-1 depthwise one (86 of a 144 ms step's convolution time). So in training it convolves at stride 1
        // and keeps every s-th output: the same sums (strided outputs start at the padded origin too), whose gradient
        // takes the fast stride-1 kernels; the larger forward costs little. Inference keeps the strided forward.
        if (conv.groups > 1 && conv.stride.Any(s => s > 1) && is_grad_enabled())
            return ChannelsLast.Of(Subsampled(nn.functional.conv2d(input, weight, bias, [1, 1], conv.padding, conv.dilation, conv.groups), conv.stride));
        return nn.functional.conv2d(input, weight, bias, conv.stride, conv.padding, conv.dilation, conv.groups);
    }

    /// <summary>
    /// Every s-th row and column of <paramref name="dense"/>, as a view on its memory. Not a slice: a slice's gradient is
    /// made in NCHW order, which the convolution's backward then copies back to channels-last; this view's gradient
    /// (as_strided's, for a dense input) keeps <paramref name="dense"/>'s strides.
    /// </summary>
    static Tensor Subsampled(Tensor dense, long[] stride)
    {
        var (size, strides) = (dense.shape, dense.stride());
        long Kept(int dim) => (size[dim] + stride[dim - 2] - 1) / stride[dim - 2];
        return dense.as_strided([size[0], size[1], Kept(2), Kept(3)],
            [strides[0], strides[1], strides[2] * stride[0], strides[3] * stride[1]], dense.storage_offset());
    }

    /// <summary><paramref name="x"/> in float32 inside a scope (what leaves a network); otherwise as it is.</summary>
    internal static Tensor Leave(Tensor x) => IsActive && x.dtype == ScalarType.BFloat16 ? x.to_type(ScalarType.Float32) : x;

    sealed class Scope : IDisposable
    {
        public static readonly IDisposable None = new NoScope();
        bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            depth--;
        }

        sealed class NoScope : IDisposable { public void Dispose() { } }
    }
}
