using Microsoft.DurableTask;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Scrl.Pipeline.Activities;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Reports;
using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Tests.Orchestration;

public sealed class ScrlSweepOrchestratorTests : IAsyncLifetime
{
    private PipelineHost _host = null!;

    public async Task InitializeAsync() => _host = await PipelineHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Sweep_FiveRunsWithConcurrencyTwo_NeverRunsMoreThanTwoAndRanksThemOnTheLeaderboard()
    {
        string sweepId = TestSpecs.NewId("sweep");
        var lossByLr = new Dictionary<string, double> { ["0.1"] = 0.5, ["0.2"] = 0.3, ["0.3"] = 0.4, ["0.4"] = 0.2 };
        _host.Worker.JobDuration = TimeSpan.FromMilliseconds(250);
        _host.Worker.Script = job =>
        {
            if (job.Stage != StageKind.Pretrain) return new JobScript.Succeed();
            string lr = JsonDocument.Parse(job.OptionsJson).RootElement.GetProperty("overrides").GetProperty("optim.baseLearningRate").GetString()!;
            return lr == "0.5" ? new JobScript.Fail("diverged") : new JobScript.Succeed(new Dictionary<string, double> { ["finalLoss"] = lossByLr[lr] });
        };
        var sweep = new SweepSpec
        {
            Base = TestSpecs.Run("unused") with { RunId = null },
            Grid = new Dictionary<string, IReadOnlyList<string>> { ["optim.baseLearningRate"] = ["0.1", "0.2", "0.3", "0.4", "0.5"] },
            MaxConcurrency = 2,
        };

        await _host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ScrlSweepOrchestrator), sweep, new StartOrchestrationOptions(sweepId));
        OrchestrationMetadata done = await _host.WaitAsync(sweepId, TimeSpan.FromSeconds(120));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(2, _host.Worker.MaxConcurrentRuns);
        Leaderboard board = done.ReadOutputAs<Leaderboard>()!;
        Assert.Equal(["0.4", "0.2", "0.3", "0.1", "0.5"], board.Rows.Select(r => r.Parameters["optim.baseLearningRate"]));
        Assert.Equal([1, 2, 3, 4, null], board.Rows.Select(r => r.Rank));
        LeaderboardRow diverged = board.Rows[^1];
        Assert.Equal((JobStatus.Failed, $"{sweepId}-004"), (diverged.Status, diverged.RunId));
        Assert.Contains("diverged", diverged.Reason);

        string markdown = await _host.ReadTextAsync(PipelineArtifacts.Sweep(sweepId, WriteLeaderboardActivity.MarkdownFileName));
        Assert.Contains($"| 1 | {sweepId}-003 | 0.4 | 0.2 | Succeeded |", markdown);
        using JsonDocument json = JsonDocument.Parse(await _host.ReadTextAsync(PipelineArtifacts.Sweep(sweepId, WriteLeaderboardActivity.JsonFileName)));
        Assert.Equal(5, json.RootElement.GetProperty("rows").GetArrayLength());
        await using Stream png = await _host.Store.OpenReadAsync(PipelineArtifacts.Sweep(sweepId, WriteLeaderboardActivity.PlotFileName));
        var signature = new byte[8];
        await png.ReadExactlyAsync(signature);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, signature);
    }

    [Fact]
    public async Task Sweep_WithRoiEvalAndFinetuneStages_LeaderboardShowsTheProtocolCorrelation()
    {
        string sweepId = TestSpecs.NewId("sweep");
        var top1ByLr = new Dictionary<string, double> { ["0.1"] = 0.41, ["0.2"] = 0.47, ["0.3"] = 0.52, ["0.4"] = 0.50 };
        var apByLr = new Dictionary<string, double> { ["0.1"] = 30.5, ["0.2"] = 33.0, ["0.3"] = 35.1, ["0.4"] = 34.2 };
        _host.Worker.Script = job => job.Stage switch
        {
            StageKind.RoiEval => new JobScript.Succeed(new Dictionary<string, double> { ["top1"] = top1ByLr[LrOf(job)] }),
            StageKind.Finetune => new JobScript.Succeed(new Dictionary<string, double> { ["AP"] = apByLr[LrOf(job)] }),
            _ => new JobScript.Succeed(),
        };
        var sweep = new SweepSpec
        {
            Base = TestSpecs.Run("unused", roiEval: true, new FinetuneTaskSpec { Task = FinetuneTask.CocoDetection, Schedule = FinetuneSchedule.OneX }) with { RunId = null },
            Grid = new Dictionary<string, IReadOnlyList<string>> { ["optim.baseLearningRate"] = ["0.1", "0.2", "0.3", "0.4"] },
            MaxConcurrency = 2,
        };

        await _host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ScrlSweepOrchestrator), sweep, new StartOrchestrationOptions(sweepId));
        OrchestrationMetadata done = await _host.WaitAsync(sweepId, TimeSpan.FromSeconds(120));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        string markdown = await _host.ReadTextAsync(PipelineArtifacts.Sweep(sweepId, WriteLeaderboardActivity.MarkdownFileName));
        Assert.Contains("## Protocol correlation with `finetune-faster-rcnn-coco-det-1x.AP`", markdown);
        double r = Scrl.Pipeline.Reports.Correlation.PearsonCorrelation.R([.. top1ByLr.Values], [.. apByLr.Values]);
        Assert.Contains($"| RoI linear | 4 | {r.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)} |", markdown);
        Assert.True(await _host.Store.ExistsAsync(PipelineArtifacts.Sweep(sweepId, WriteLeaderboardActivity.CorrelationPlotFileName)));
        using JsonDocument json = JsonDocument.Parse(await _host.ReadTextAsync(PipelineArtifacts.Sweep(sweepId, WriteLeaderboardActivity.CorrelationJsonFileName)));
        Assert.Equal(4, json.RootElement.GetProperty("protocols")[0].GetProperty("points").GetArrayLength());
    }

    [Fact]
    public async Task Sweep_WithoutFinetuneStage_WritesNoCorrelation()
    {
        string sweepId = TestSpecs.NewId("sweep");
        _host.Worker.Script = job => new JobScript.Succeed(job.Stage == StageKind.RoiEval ? new Dictionary<string, double> { ["top1"] = 0.5 } : null);
        var sweep = new SweepSpec
        {
            Base = TestSpecs.Run("unused", roiEval: true) with { RunId = null },
            Grid = new Dictionary<string, IReadOnlyList<string>> { ["optim.baseLearningRate"] = ["0.1", "0.2", "0.3"] },
            MaxConcurrency = 3,
        };

        await _host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ScrlSweepOrchestrator), sweep, new StartOrchestrationOptions(sweepId));
        OrchestrationMetadata done = await _host.WaitAsync(sweepId, TimeSpan.FromSeconds(120));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.DoesNotContain("Protocol correlation", await _host.ReadTextAsync(PipelineArtifacts.Sweep(sweepId, WriteLeaderboardActivity.MarkdownFileName)));
        Assert.False(await _host.Store.ExistsAsync(PipelineArtifacts.Sweep(sweepId, WriteLeaderboardActivity.CorrelationPlotFileName)));
    }

    private static readonly string[] Grid = ["0.1", "0.2", "0.3", "0.4"];

    // Every stage job of a sweep run carries the run's id ({sweepId}-{i:000}); the grid value is the i-th one.
    private static string LrOf(JobMessage job) => Grid[int.Parse(job.RunId[^3..], System.Globalization.CultureInfo.InvariantCulture)];
}
