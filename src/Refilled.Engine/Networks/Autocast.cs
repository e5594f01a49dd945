using Refilled.Engine.Runtime;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Refilled.Engine.Networks;

/// <summary>
/// Mixed precision for a network that trains, as PyTorch's CPU autocast does it (TorchSharp 0.107 has no autocast):
/// inside a scope on this thread, convolutions (but depthwise ones, see <see cref="Conv"/>) run in bfloat16 on bfloat16
/// casts of their float32 weights, so autograd hands float32 gradients to the float32 master weights; BatchNorm keeps
/// its float32 parameters and running statistics (libtorch normalises bfloat16 activations with them); a network's
/// features leave it in float32, so mining, losses and the classifier stay float32. The scope is per thread, like
/// dispose scopes.
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
        // Depthwise convolutions compute in float32: their bfloat16 backward made a MobileNet-0.5 training step slower
        // than float32 on this CPU (650 against 510 ms at 224 px, batch 32; 236 against 95 ms for the 13 depthwise
        // backwards alone). Their output goes back to bfloat16, so the BatchNorm and ReLU after them run on bfloat16
        // (3x faster than on float32 there) and the pointwise convolution needs no cast.
        if (conv.groups > 1) return conv.call(x.to_type(ScalarType.Float32)).to_type(half);
        return nn.functional.conv2d(x.to_type(half), conv.weight.to_type(half), conv.bias?.to_type(half),
            conv.stride, conv.padding, conv.dilation, conv.groups);
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
