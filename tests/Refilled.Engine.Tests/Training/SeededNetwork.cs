using Refilled.Engine.Networks;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Training;

/// <summary>Networks whose initial weights depend only on a seed.</summary>
internal static class SeededNetwork
{
    public static RefilledNetwork SmallCnn(int classes, int seed)
    {
        manual_seed(seed);
        return NetworkSpec.SmallCnn.Create(classes);
    }
}
