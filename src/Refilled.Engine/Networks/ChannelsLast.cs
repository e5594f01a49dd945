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
    /// <summary>
    /// A channels-last copy of a 4-D tensor; anything else as it is. A dense one-channel image is already stored pixel by
    /// pixel: it gets channels-last strides on the same memory, no copy. Its plain strides would send a grey network's
    /// first convolution, BatchNorm and max-pooling down libtorch's NCHW paths: 10x slower for smallcnn's first block here.
    /// </summary>
    public static Tensor Of(Tensor x)
    {
        if (x.dim() != 4 || Is(x)) return x;
        if (x.shape[1] != 1) return x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
        return x.is_contiguous() ? x.as_strided(x.shape, [x.shape[2] * x.shape[3], 1, x.shape[3], 1]) : x;
    }

    /// <summary>Whether a 4-D tensor is stored densely in NHWC order.</summary>
    public static bool Is(Tensor x)
    {
        if (x.dim() != 4) return false;
        var (size, stride) = (x.shape, x.stride());
        return stride[1] == 1 && stride[3] == size[1] && stride[2] == size[1] * size[3] && stride[0] == size[1] * size[2] * size[3];
    }
}
