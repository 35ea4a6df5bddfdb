using Microsoft.DurableTask;
using System.Text.Json;
using Microsoft.DurableTask.Client;
using Scrl.Pipeline.Api;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;

namespace Scrl.Pipeline.Tests.Orchestration;

public sealed class ScrlRunOrchestratorTests : IAsyncLifetime
{
    private PipelineHost _host = null!;

    public async Task InitializeAsync() => _host = await PipelineHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Run_AllStagesSucceed_RunsStagesInOrderWithFinetuneInParallelAndWritesReport()
    {
        string runId = TestSpecs.NewId("run");
        _host.Worker.JobDuration = TimeSpan.FromMilliseconds(400);
        RunSpec spec = TestSpecs.Run(runId, roiEval: true,
            new FinetuneTaskSpec { Task = FinetuneTask.CocoDetection, Schedule = FinetuneSchedule.OneX },
            new FinetuneTaskSpec { Task = FinetuneTask.VocDetection, Schedule = FinetuneSchedule.Voc, Train = "/data/VOC2007" });

        await _host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ScrlRunOrchestrator), spec, new StartOrchestrationOptions(runId));
        OrchestrationMetadata done = await _host.WaitAsync(runId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        RunReport report = done.ReadOutputAs<RunReport>()!;
        Assert.Equal(JobStatus.Succeeded, report.Status);
        Assert.Equal(["shard", "pretrain", "roi-eval", "finetune-faster-rcnn-coco-det-1x", "finetune-faster-rcnn-voc-det-voc"], report.Stages.Select(s => s.Stage));
        Assert.All(report.Stages, s => Assert.Equal((JobStatus.Succeeded, 1, false), (s.Status, s.Attempts, s.RescuedFromManifest)));
        Assert.Equal(0.25, report.FlatMetrics()["pretrain.finalLoss"]);

        JobMessage[] sent = [.. _host.Worker.Sent];
        Assert.Equal([StageKind.Shard, StageKind.Pretrain, StageKind.RoiEval, StageKind.Finetune, StageKind.Finetune], sent.Select(j => j.Stage));
        Assert.All(sent, j => Assert.Equal((runId, 1), (j.RunId, j.Attempt)));
        // Each stage gets the artifacts of the stage before it.
        using JsonDocument pretrainOptions = JsonDocument.Parse(sent[1].OptionsJson);
        Assert.Equal($"runs/{runId}/shard/out.bin", pretrainOptions.RootElement.GetProperty("shards")[0].GetString());
        Assert.Equal("demo", pretrainOptions.RootElement.GetProperty("preset").GetString());
        Assert.Equal("1", pretrainOptions.RootElement.GetProperty("overrides").GetProperty("run.epochs").GetString());

        // Evaluation stages read the run's COCO root unless the spec names their data.
        using JsonDocument roiEvalOptions = JsonDocument.Parse(sent[2].OptionsJson);
        Assert.Equal(("file:///data/coco", "file:///data/coco"), (roiEvalOptions.RootElement.GetProperty("train").GetString(), roiEvalOptions.RootElement.GetProperty("val").GetString()));
        Assert.Equal(["/data/VOC2007", "file:///data/coco"], sent[3..].Select(j => JsonDocument.Parse(j.OptionsJson).RootElement.GetProperty("train").GetString()).Order(StringComparer.Ordinal));
        Assert.All(sent[3..], j => Assert.Equal(JsonDocument.Parse(j.OptionsJson).RootElement.GetProperty("train").GetString(),
                                                 JsonDocument.Parse(j.OptionsJson).RootElement.GetProperty("val").GetString()));

        var finetunes = _host.Worker.Executions.Where(e => e.Job.Stage == StageKind.Finetune).ToArray();
        Assert.True(finetunes[0].Started < finetunes[1].Ended && finetunes[1].Started < finetunes[0].Ended, "fine-tune jobs overlap in time");

        using JsonDocument json = JsonDocument.Parse(await _host.ReadTextAsync(PipelineArtifacts.RunReportJson(runId)));
        Assert.Equal("Succeeded", json.RootElement.GetProperty("status").GetString());
        string markdown = await _host.ReadTextAsync(PipelineArtifacts.RunReportMarkdown(runId));
        Assert.Contains("| finetune-faster-rcnn-voc-det-voc | Succeeded | 1 |", markdown);
    }

    [Fact]
    public async Task Run_StageFailsOnce_RetriesWithAttemptTwoAndSucceeds()
    {
        string runId = TestSpecs.NewId("run");
        _host.Worker.Script = job => job is { Stage: StageKind.Pretrain, Attempt: 1 }
            ? new JobScript.Fail("worker lost its GPU")
            : new JobScript.Succeed();

        await _host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ScrlRunOrchestrator), TestSpecs.Run(runId), new StartOrchestrationOptions(runId));
        OrchestrationMetadata done = await _host.WaitAsync(runId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        RunReport report = done.ReadOutputAs<RunReport>()!;
        StageResult pretrain = Assert.Single(report.Stages, s => s.Stage == "pretrain");
        Assert.Equal((JobStatus.Succeeded, 2), (pretrain.Status, pretrain.Attempts));
        JobMessage[] pretrainJobs = [.. _host.Worker.Sent.Where(j => j.Stage == StageKind.Pretrain)];
        Assert.Equal([1, 2], pretrainJobs.Select(j => j.Attempt));
        Assert.Single(pretrainJobs.Select(j => j.JobId).Distinct()); // same job id: the worker resumes the same job
        Assert.True(pretrainJobs[1].Deadline > pretrainJobs[0].Deadline);
    }

    [Fact]
    public async Task Run_CallbackLost_OutcomeRescuedFromResultManifest()
    {
        string runId = TestSpecs.NewId("run");
        _host.Worker.Script = job => job.Stage == StageKind.Pretrain
            ? new JobScript.LoseCallback(new Dictionary<string, double> { ["finalLoss"] = 0.125 })
            : new JobScript.Succeed();
        RunSpec spec = TestSpecs.Run(runId) with
        {
            Stages = TestSpecs.Run(runId).Stages with { Pretrain = TestSpecs.Quick(timeout: TimeSpan.FromSeconds(1)) },
        };

        await _host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ScrlRunOrchestrator), spec, new StartOrchestrationOptions(runId));
        OrchestrationMetadata done = await _host.WaitAsync(runId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        StageResult pretrain = Assert.Single(done.ReadOutputAs<RunReport>()!.Stages, s => s.Stage == "pretrain");
        Assert.Equal((JobStatus.Succeeded, 1, true), (pretrain.Status, pretrain.Attempts, pretrain.RescuedFromManifest));
        Assert.Equal(0.125, pretrain.Metrics["finalLoss"]);
        Assert.Single(_host.Worker.Sent, j => j.Stage == StageKind.Pretrain); // rescued, not re-posted
    }

    [Fact]
    public async Task Run_CallbackLost_RecoveredAtTheNextResultCheck_LongBeforeTheDeadline()
    {
        string runId = TestSpecs.NewId("run");
        _host.Worker.Script = job => job.Stage == StageKind.Pretrain
            ? new JobScript.LoseCallback(new Dictionary<string, double> { ["finalLoss"] = 0.5 })
            : new JobScript.Succeed();
        RunSpec spec = TestSpecs.Run(runId) with
        {
            Stages = TestSpecs.Run(runId).Stages with
            {
                Pretrain = TestSpecs.Quick(timeout: TimeSpan.FromHours(1), resultCheckInterval: TimeSpan.FromSeconds(1)),
            },
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();

        await _host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ScrlRunOrchestrator), spec, new StartOrchestrationOptions(runId));
        OrchestrationMetadata done = await _host.WaitAsync(runId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        StageResult pretrain = Assert.Single(done.ReadOutputAs<RunReport>()!.Stages, s => s.Stage == "pretrain");
        Assert.Equal((JobStatus.Succeeded, 1, true), (pretrain.Status, pretrain.Attempts, pretrain.RescuedFromManifest));
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Run_LateFailureOfAnOldAttempt_IsIgnoredWhileTheNextAttemptRuns()
    {
        string runId = TestSpecs.NewId("run");
        _host.Worker.JobDuration = TimeSpan.FromSeconds(2);
        // Attempt 1 says nothing by its 3 s deadline, then fails at about 4 s, while attempt 2 (posted at about 3.2 s)
        // runs until about 5.2 s; the checks every second also read the failed manifest attempt 1 leaves.
        _host.Worker.Script = job => job is { Stage: StageKind.Pretrain, Attempt: 1 }
            ? new JobScript.FailLate("the old attempt's GPU fell off the bus", TimeSpan.FromSeconds(2))
            : new JobScript.Succeed();
        RunSpec spec = TestSpecs.Run(runId) with
        {
            Stages = TestSpecs.Run(runId).Stages with
            {
                Pretrain = TestSpecs.Quick(timeout: TimeSpan.FromSeconds(3), resultCheckInterval: TimeSpan.FromSeconds(1)),
            },
        };

        await _host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ScrlRunOrchestrator), spec, new StartOrchestrationOptions(runId));
        OrchestrationMetadata done = await _host.WaitAsync(runId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        StageResult pretrain = Assert.Single(done.ReadOutputAs<RunReport>()!.Stages, s => s.Stage == "pretrain");
        Assert.Equal((JobStatus.Succeeded, 2), (pretrain.Status, pretrain.Attempts));
        Assert.Equal([1, 2], _host.Worker.Sent.Where(j => j.Stage == StageKind.Pretrain).Select(j => j.Attempt));
    }

    [Fact]
    public async Task Run_DeadlinePassesWithoutManifest_FailsAfterBoundedRetriesWithTheReason()
    {
        string runId = TestSpecs.NewId("run");
        _host.Worker.Script = job => job.Stage == StageKind.Shard ? new JobScript.Hang(1, 10, 0) : new JobScript.Succeed();
        RunSpec spec = TestSpecs.Run(runId) with
        {
            Stages = TestSpecs.Run(runId).Stages with { Shard = TestSpecs.Quick(timeout: TimeSpan.FromSeconds(1), maxAttempts: 2) },
        };

        await _host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ScrlRunOrchestrator), spec, new StartOrchestrationOptions(runId));
        OrchestrationMetadata done = await _host.WaitAsync(runId);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, done.RuntimeStatus);
        string message = done.FailureDetails!.ErrorMessage;
        Assert.Contains("shard failed after 2 attempt(s)", message);
        Assert.Contains("no outcome by the deadline", message);
        Assert.Equal([1, 2], _host.Worker.Sent.Select(j => j.Attempt));
        Assert.DoesNotContain(_host.Worker.Sent, j => j.Stage == StageKind.Pretrain);

        using JsonDocument report = JsonDocument.Parse(await _host.ReadTextAsync(PipelineArtifacts.RunReportJson(runId)));
        Assert.Equal("Failed", report.RootElement.GetProperty("status").GetString());
        Assert.Contains("no result manifest", report.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Run_CancelRequested_WritesCancelMarkerAndEndsCancelled_AfterProgressShowedInStatus()
    {
        string runId = TestSpecs.NewId("run");
        _host.Worker.Script = job => job.Stage == StageKind.Pretrain ? new JobScript.Hang(50, 100, 1.5) : new JobScript.Succeed();

        await _host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ScrlRunOrchestrator), TestSpecs.Run(runId), new StartOrchestrationOptions(runId));
        RunProgress progress = await WaitForStatusAsync(runId, p => p.Stages is [{ Stage: "pretrain", Step: 50 }]);
        StageProgress pretrain = Assert.Single(progress.Stages);
        Assert.Equal((1, "running", 100L, 1.5), (pretrain.Attempt, pretrain.State, pretrain.TotalSteps!.Value, pretrain.Loss!.Value));
        Assert.NotNull(pretrain.ProgressAt);

        await _host.Client.RaiseEventAsync(runId, EventNames.CancelRequested, new CancelRequest("user asked"));
        OrchestrationMetadata done = await _host.WaitAsync(runId);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        RunReport report = done.ReadOutputAs<RunReport>()!;
        Assert.Equal(JobStatus.Cancelled, report.Status);
        Assert.Contains("user asked", report.Reason);
        Assert.Equal("user asked\n", await _host.ReadTextAsync(PipelineArtifacts.CancelMarker($"runs/{runId}/pretrain/")));
        Assert.Equal("cancelled", done.ReadCustomStatusAs<RunProgress>()!.Phase);
        Assert.DoesNotContain(_host.Worker.Sent, j => j.Stage == StageKind.RoiEval);
    }

    /// <summary>Polls the run's status as the status route builds it: the custom status plus the workers' progress blobs.</summary>
    private async Task<RunProgress> WaitForStatusAsync(string runId, Func<RunProgress, bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            OrchestrationMetadata? state = await _host.Client.GetInstanceAsync(runId, getInputsAndOutputs: true, timeout.Token);
            if (state?.SerializedCustomStatus is not null)
            {
                var status = new RunStatus(runId, state.RuntimeStatus.ToString(), state.CreatedAt, state.LastUpdatedAt,
                                           state.ReadCustomStatusAs<RunProgress>(), null, null);
                if ((await WorkerProgress.AddAsync(status, _host.Store, timeout.Token)).Progress is { } p && condition(p)) return p;
            }
            await Task.Delay(50, timeout.Token);
        }
    }
}
