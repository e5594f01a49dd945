using Refilled.Engine.Checkpoints;
using Refilled.Engine.Networks;
using Refilled.Engine.Training;
using static TorchSharp.torch;

namespace Refilled.Engine.Tests.Training;

/// <summary>A resume must continue the run it saved or stop with a clear way out; never train on damaged weights.</summary>
public sealed class TrainingStateFileTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("refilled-state-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    static RefilledNetwork Net(int classes) => NetworkSpec.SmallCnnOfWidth(2).Create(classes);

    string Saved(RefilledNetwork network)
    {
        var path = Path.Combine(dir, "stage1.state");
        using var best = new WeightSnapshot(network);
        TrainingStateFile.Save(path, network, new TrainingState { CompletedEpochs = 1, Best = best, BestMetric = 0.5, BestEpoch = 1 });
        return path;
    }

    [Fact]
    public void ATruncatedStateNamesTheFileAndHowToRestart()
    {
        using var net = Net(3);
        var path = Saved(net);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        var e = Assert.Throws<CheckpointFormatException>(() => TrainingStateFile.Load(path, net));
        Assert.Equal(path, e.Path);
        Assert.Contains($"Delete '{path}' to restart", e.Message);
    }

    [Fact]
    public void AStateOfAnotherNetworkIsRefusedNamingTheTensor()
    {
        using var saved = Net(3);
        var path = Saved(saved);
        using var other = Net(5);
        var e = Assert.Throws<CheckpointFormatException>(() => TrainingStateFile.Load(path, other));
        Assert.Contains("'fc.weight' is [3, ", e.Message);
        Assert.Contains("Delete", e.Message);
    }

    [Fact]
    public void RestoringNeverBroadcastsAWrongShape()
    {
        // A one-class classifier's [1, E] weight would broadcast over every row of a ten-class one.
        using var one = Net(1);
        using var snapshot = new WeightSnapshot(one);
        using var ten = Net(10);
        var before = ten.state_dict()["fc.weight"].clone();
        var e = Assert.Throws<InvalidOperationException>(() => snapshot.RestoreInto(ten));
        Assert.Contains("fc.weight", e.Message);
        Assert.True(before.equal(ten.state_dict()["fc.weight"]).all().item<bool>(), "the weights changed");
    }

    [Fact]
    public void AMatchingStateLoadsAndRestores()
    {
        using var net = Net(3);
        var path = Saved(net);
        using var fresh = Net(3);
        var (state, weights) = TrainingStateFile.Load(path, fresh);
        using (weights) weights.RestoreInto(fresh);
        state.Best?.Dispose();
        Assert.Equal(1, state.CompletedEpochs);
        Assert.True(net.state_dict()["fc.weight"].equal(fresh.state_dict()["fc.weight"]).all().item<bool>());
    }
}
