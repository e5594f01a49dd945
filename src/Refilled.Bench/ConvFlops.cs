using Refilled.Engine.Networks;

namespace Refilled.Bench;

/// <summary>
/// Multiply-accumulates of one image's forward pass through a CIFAR Wide-ResNet, counted per convolution
/// (H_out·W_out·C_out·C_in·k²) and the fc layer. BatchNorm, ReLU, the residual add and pooling are elementwise
/// (under 1% of the total) and not counted.
/// </summary>
internal static class ConvFlops
{
    /// <returns>MACs per image, or null for a family this counter does not know.</returns>
    public static long? ForwardMacs(NetworkSpec spec, int numClasses, int imageSize = 32)
    {
        if (spec.Family != NetworkFamily.WideResNet) return null;
        var n = (spec.Depth - 4) / 6;
        int[] channels = [16, 16 * spec.Width, 32 * spec.Width, 64 * spec.Width];
        long size = imageSize;
        long macs = Conv(size, 3, channels[0], 3);
        for (var stage = 0; stage < 3; stage++)
        {
            var stride = stage == 0 ? 1 : 2;
            for (var b = 0; b < n; b++)
            {
                var cin = b == 0 ? channels[stage] : channels[stage + 1];
                var cout = channels[stage + 1];
                var s = b == 0 ? stride : 1;
                var outSize = size / s;
                macs += Conv(size, cin, cout, 3);          // conv1: stride 1 at the block's input size
                macs += Conv(outSize, cout, cout, 3);      // conv2: stride s
                if (s != 1 || cin != cout) macs += Conv(outSize, cin, cout, 1);
                size = outSize;
            }
        }
        return macs + (long)channels[3] * numClasses;

        static long Conv(long outSize, long cin, long cout, long k) => outSize * outSize * cout * cin * k * k;
    }
}
