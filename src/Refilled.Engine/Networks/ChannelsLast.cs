using static TorchSharp.torch;

namespace Refilled.Engine.Networks;

/// <summary>
/// NCHW tensors stored pixel by pixel (NHWC strides), PyTorch's channels_last. TorchSharp 0.107 has the
/// <c>memory_format</c> enum but nothing that takes it, so the layout is made with permutes; libtorch reads it from
/// the strides, and oneDNN convolutions on such an input keep it through BN, ReLU, adds and the next convolutions
/// (about 12 % less time for a WRN forward, 20 % for forward + backward on this CPU). Shapes, and so state_dict keys
/// and checkpoints, are unchanged.
/// </summary>
public static class ChannelsLast
{
    /// <summary>A channels-last copy of a 4-D tensor with more than one channel; anything else as it is.</summary>
    public static Tensor Of(Tensor x) =>
        x.dim() != 4 || x.shape[1] == 1 || Is(x) ? x : x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    /// <summary>Whether a 4-D tensor is stored densely in NHWC order.</summary>
    public static bool Is(Tensor x)
    {
        if (x.dim() != 4) return false;
        var (size, stride) = (x.shape, x.stride());
        return stride[1] == 1 && stride[3] == size[1] && stride[2] == size[1] * size[3] && stride[0] == size[1] * size[2] * size[3];
    }
}
