using Refilled.Engine.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests;

public class RuntimeTests
{
    [Fact]
    public void ReportsTheLoadedLibTorch()
    {
        var info = TorchRuntime.Describe();
        Assert.StartsWith("2.10.", info.LibTorchVersion);
        Assert.Equal("cpu", info.Backend);
        Assert.True(info.Threads >= 1);
        Assert.NotNull(info.NativeLibraryPath);
        Assert.EndsWith("libtorch_cpu.so", info.NativeLibraryPath);
    }

    [Fact]
    public void TinyConvNetTrainsOneStepWithFiniteGradients()
    {
        torch.manual_seed(7);
        using var scope = NewDisposeScope();
        var net = nn.Sequential(
            nn.Conv2d(3, 4, 3, padding: 1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 5));
        var x = randn(8, 3, 12, 12);
        var y = randint(0, 5, new long[] { 8 });
        var loss = nn.functional.cross_entropy(net.forward(x), y);
        loss.backward();
        Assert.True(float.IsFinite(loss.item<float>()));
        foreach (var p in net.parameters())
        {
            Assert.NotNull(p.grad);
            Assert.True(p.grad!.isfinite().all().item<bool>());
            Assert.True(p.grad.abs().sum().item<float>() > 0);
        }
    }

    [Fact]
    public void NativeHeapTrimReachesGlibcOnLinux()
    {
        // Many small freed tensors leave free pages in glibc's arenas; trimming must find malloc_trim and run.
        for (var i = 0; i < 200; i++) randn(64, 256).Dispose();
        Assert.Equal(OperatingSystem.IsLinux(), NativeHeap.Trim());
    }
}
