using Scrl.Core.Tests.Support;
using Scrl.Core.Training;
using Scrl.Core.Training.Checkpoints;
using static TorchSharp.torch;

namespace Scrl.Core.Tests.Training;

[Collection(ProcessWideStateCollection.Name)]
public class PretrainJobTests(TinyRun tiny) : IClassFixture<TinyRun>
{
    [Fact]
    public async Task Resume_AfterStop_GivesBitIdenticalWeights()
    {
        using var straight = new TempDirectory();
        using var interrupted = new TempDirectory();

        var full = await RunAsync(straight.Path, "run.maxSteps=6");
        var half = await RunAsync(interrupted.Path, "run.maxSteps=3");
        Assert.Equal(3, half.Step);
        var resumed = await RunAsync(interrupted.Path, "run.maxSteps=6");
        Assert.Equal(6, resumed.Step);

        using var a = CheckpointStore.Load(full.LastCheckpoint);
        using var b = CheckpointStore.Load(resumed.LastCheckpoint);
        Assert.Equal(a.Tensors.Keys.Order(), b.Tensors.Keys.Order());
        Assert.Contains(a.Tensors.Keys, k => k.StartsWith("optim.", StringComparison.Ordinal));
        foreach (var (name, tensor) in a.Tensors)
            Assert.True(tensor.allclose(b.Tensors[name], rtol: 0, atol: 0), $"{name} differs after resume");
        Assert.Equal(a.Meta with { CreatedUtc = default }, b.Meta with { CreatedUtc = default, Metrics = a.Meta.Metrics });
    }

    [Fact]
    public async Task Run_WritesMetricsTensorBoardAndCheckpoints()
    {
        using var dir = new TempDirectory();
        var outcome = await RunAsync(dir.Path, "run.maxSteps=4", "run.logEverySteps=2", "run.checkpointEverySteps=2");
        var layout = new RunLayout(dir.Path);
        Assert.True(outcome.Completed);
        Assert.Equal(2, File.ReadAllLines(layout.Metrics).Length);
        Assert.Single(Directory.GetFiles(layout.TensorBoard, "events.out.tfevents.*"));
        Assert.True(File.Exists(Path.Combine(layout.Checkpoints, "step-000002.ckpt")));
        Assert.True(File.Exists(Path.Combine(layout.Checkpoints, "step-000004.ckpt")));
        Assert.Equal("step-000004", File.ReadAllText(Path.Combine(layout.Checkpoints, "latest")));
        Assert.True(outcome.FinalLoss is > 0 and <= 8, $"loss {outcome.FinalLoss}");
    }

    [Fact]
    public async Task Progress_EveryStepInOrder_WithARate_AlsoOnStepsThatWriteMetrics()
    {
        using var dir = new TempDirectory();
        var config = tiny.Config("run.maxSteps=4", "run.logEverySteps=2");
        using var job = new PretrainJob(config, await tiny.SourceAsync(config), dir.Path, CPU);
        var reports = new List<PretrainProgress>();
        await job.RunAsync(new SyncProgress(reports.Add), CancellationToken.None);

        Assert.Equal([1L, 2, 3, 4], reports.Select(p => p.Step));
        Assert.All(reports, p => Assert.True(p.PairsPerSecond > 0, $"step {p.Step}: {p.PairsPerSecond} img/s"));
        Assert.All(reports, p => Assert.Equal(4, p.TotalSteps));
    }

    [Fact]
    public async Task Cancel_StopsAtStepBoundary_AndCheckpoints()
    {
        using var dir = new TempDirectory();
        using var cts = new CancellationTokenSource();
        var config = tiny.Config("run.maxSteps=50");
        using var job = new PretrainJob(config, await tiny.SourceAsync(config), dir.Path, CPU);
        var outcome = await job.RunAsync(new SyncProgress(p => { if (p.Step == 2) cts.Cancel(); }), cts.Token);
        Assert.False(outcome.Completed);
        Assert.InRange(outcome.Step, 2, 4);
        using var saved = CheckpointStore.Load(outcome.LastCheckpoint);
        Assert.Equal(outcome.Step, saved.Meta.Step);
    }

    [Fact]
    public async Task Run_OfAFinishedRun_ReturnsItsLastCheckpointAndLoss_AndWritesNothingNew()
    {
        using var dir = new TempDirectory();
        var first = await RunAsync(dir.Path, "run.maxSteps=2");
        var layout = new RunLayout(dir.Path);
        var checkpoint = File.ReadAllBytes(first.LastCheckpoint);

        var again = await RunAsync(dir.Path, "run.maxSteps=2");

        Assert.Equal(first, again);   // same step, checkpoint and loss: nothing to train
        Assert.Equal(checkpoint, File.ReadAllBytes(again.LastCheckpoint));
        Assert.Single(Directory.GetFiles(layout.Checkpoints, "*.ckpt"));
        Assert.Contains("\"finalLoss\"", File.ReadAllText(layout.Summary));
    }

    [Fact]
    public async Task Cancel_BeforeTheFirstStep_CheckpointsStepZeroWithoutALoss()
    {
        using var dir = new TempDirectory();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var config = tiny.Config("run.maxSteps=2");
        using var job = new PretrainJob(config, await tiny.SourceAsync(config), dir.Path, CPU);

        var outcome = await job.RunAsync(null, cancelled.Token);

        Assert.False(outcome.Completed);
        Assert.Equal(0, outcome.Step);
        Assert.Null(outcome.FinalLoss);
        using var saved = CheckpointStore.Load(outcome.LastCheckpoint);
        Assert.Empty(saved.Meta.Metrics);
        var resumed = await RunAsync(dir.Path, "run.maxSteps=2");   // and the run goes on from there
        Assert.Equal(2, resumed.Step);
    }

    [Fact]
    public async Task Resume_WithDifferentConfig_IsRefused()
    {
        using var dir = new TempDirectory();
        await RunAsync(dir.Path, "run.maxSteps=1");
        var before = Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

        var e = await Assert.ThrowsAsync<RunFolderConflictException>(() => RunAsync(dir.Path, "run.maxSteps=2", "optim.baseLearningRate=0.9"));

        Assert.Contains("another config", e.Message);
        Assert.Equal(dir.Path, e.RunFolder);
        var after = Directory.GetFiles(dir.Path, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());   // the refused run left the folder as it was
        foreach (var (file, bytes) in before) Assert.True(bytes.AsSpan().SequenceEqual(after[file]), $"{file} changed");
    }

    [Fact]
    public async Task Byol_Trains_WithoutBoxes()
    {
        using var dir = new TempDirectory();
        var outcome = await RunAsync(dir.Path, "method=Byol", "run.maxSteps=2");
        Assert.True(outcome.Completed);
        Assert.True(outcome.FinalLoss is { } loss && double.IsFinite(loss), $"loss {outcome.FinalLoss}");
    }

    private async Task<PretrainOutcome> RunAsync(string runDir, params string[] overrides)
    {
        var config = tiny.Config(overrides);
        using var job = new PretrainJob(config, await tiny.SourceAsync(config), runDir, CPU);
        return await job.RunAsync();
    }
}

/// <summary>Reports on the training thread, unlike <see cref="Progress{T}"/>, so tests observe every step in order.</summary>
internal sealed class SyncProgress(Action<PretrainProgress> report) : IProgress<PretrainProgress>
{
    public void Report(PretrainProgress value) => report(value);
}
