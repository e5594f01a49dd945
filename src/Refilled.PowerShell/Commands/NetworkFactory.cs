using Refilled.Engine.Networks;
using Refilled.PowerShell.Objects;
using TorchSharp;

namespace Refilled.PowerShell.Commands;

/// <summary>Builds a freshly initialised network for a spec, reproducibly from a seed.</summary>
internal static class NetworkFactory
{
    public static RefilledNetwork Create(string architecture, int numClasses, int seed)
    {
        var spec = NetworkSpec.Parse(architecture);
        torch.manual_seed(seed);
        return spec.Create(numClasses);
    }

    public static RefilledNetwork Create(string architecture, RefilledDataset data, int seed) =>
        Create(architecture, data.NumClasses, seed);
}
