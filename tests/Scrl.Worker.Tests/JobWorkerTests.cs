using Microsoft.Extensions.Logging.Abstractions;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Outcomes;
using Scrl.Pipeline.Tests.Azurite;

namespace Scrl.Worker.Tests;

/// <summary>The worker end to end on Azurite: Storage queue in, Blob artifacts and outcomes queue out.</summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Azurite")]
public sealed class JobWorkerTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task PretrainJob_Completes_WithCheckpointsMetricsAndResultInBlob()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite.Endpoints);
        JobMessage job = WorkerHarness.PretrainJob("ok", maxSteps: 4, checkpointEvery: 2);
        await harness.Transport.SendAsync(job, CancellationToken.None);
        harness.Start();

        JobReport report = await harness.NextOutcomeAsync(Timeout);
        AssertSucceeded(report.Outcome!);
        Assert.Equal(4, report.Outcome!.Metrics["step"]);
        Assert.Equal("step-000004", await harness.ReadTextAsync(job.ArtifactPrefix + "checkpoints/latest"));
        Assert.True(await harness.Store.ExistsAsync(job.ArtifactPrefix + "checkpoints/step-000004.ckpt"));
        Assert.True(await harness.Store.ExistsAsync(job.ArtifactPrefix + "checkpoints/step-000004.json"));
        Assert.Equal(4, (await harness.ReadTextAsync(job.ArtifactPrefix + "metrics.jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        JobOutcome stored = JobJson.DeserializeOutcome(System.Text.Encoding.UTF8.GetBytes(await harness.ReadTextAsync(JobArtifacts.Result(job))));
        Assert.Equal(JobStatus.Succeeded, stored.Status);
        Assert.Contains(job.ArtifactPrefix + "checkpoints/step-000004.ckpt", stored.Artifacts);
        Assert.Equal((1, 1), (stored.Attempt, report.Outcome!.Attempt));   // the orchestrator tells attempts apart by it
        Assert.Null((await harness.Jobs.PeekMessageAsync()).Value);   // completed, not just hidden
    }

    [Fact]
    public async Task Shutdown_CheckpointsAndAbandons_AndTheNextRunResumesFromTheUploadedCheckpoint()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite.Endpoints);
        JobMessage job = WorkerHarness.PretrainJob("resume", maxSteps: 400, checkpointEvery: 2);
        await harness.Transport.SendAsync(job, CancellationToken.None);
        harness.Start();
        // Uploads take the newest checkpoint, so wait for any from step 4 on (step 2 would make the resume check weak).
        await WaitForAsync(async () => await harness.Store.ExistsAsync(job.ArtifactPrefix + "checkpoints/latest")
                                       && Step(await harness.ReadTextAsync(job.ArtifactPrefix + "checkpoints/latest")) >= 4);
        await harness.StopAsync();   // what SIGTERM does

        long stoppedAt = Step(await harness.ReadTextAsync(job.ArtifactPrefix + "checkpoints/latest"));
        Assert.InRange(stoppedAt, 4, 399);
        Assert.False(await harness.Store.ExistsAsync(JobArtifacts.Result(job)));
        var redelivered = (await harness.Transport.ReceiveAsync(TimeSpan.FromSeconds(5), CancellationToken.None))!;
        Assert.Equal(2, redelivered.DeliveryCount);   // abandoned at once, not left to its lock
        await redelivered.CompleteAsync(CancellationToken.None);

        // The retry (same job id, a shorter run) resumes: it trains 2 steps and writes no checkpoint from before the stop.
        JobMessage retry = job with { Attempt = 2, OptionsJson = job.OptionsJson.Replace("run.maxSteps=400", $"run.maxSteps={stoppedAt + 2}") };
        await harness.Transport.SendAsync(retry, CancellationToken.None);
        harness.Start();
        JobOutcome outcome = (await harness.NextOutcomeAsync(Timeout)).Outcome!;
        AssertSucceeded(outcome);
        Assert.Equal(stoppedAt + 2, outcome.Metrics["step"]);
        Assert.Contains(job.ArtifactPrefix + $"checkpoints/{CheckpointName(stoppedAt + 2)}.ckpt", outcome.Artifacts);
        Assert.All(outcome.Artifacts.Where(a => a.EndsWith(".ckpt")), a => Assert.True(Step(Path.GetFileNameWithoutExtension(a)) > stoppedAt, a));
        // The metrics log continues the first attempt's: steps rise strictly (no replayed rows) up to the new end.
        long[] steps = [.. (await harness.ReadTextAsync(job.ArtifactPrefix + "metrics.jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("step").GetInt64())];
        Assert.Equal(1, steps[0]);
        Assert.Equal(stoppedAt + 2, steps[^1]);
        Assert.Equal(steps.Order(), steps.Distinct());
    }

    [Fact]
    public async Task RedeliveredJob_WhileClaimHeldElsewhere_IsAbandonedAndNotRun_ThenRunsOnceReleased()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite.Endpoints);
        JobMessage job = WorkerHarness.PretrainJob("claimed", maxSteps: 2, checkpointEvery: 2);
        IArtifactClaim other = (await harness.Store.TryClaimAsync(JobArtifacts.Claim(job), TimeSpan.FromSeconds(15)))!;
        Assert.NotNull(other);
        other.StartAutoRenewal();
        await harness.Transport.SendAsync(job, CancellationToken.None);
        harness.Start(maxDeliveries: 10, claimHeldRetryDelay: TimeSpan.FromSeconds(1));

        await Task.Delay(TimeSpan.FromSeconds(4));   // deliveries bounce off the held claim
        Assert.False(await harness.Store.ExistsAsync(job.ArtifactPrefix + "checkpoints/latest"));
        Assert.False(await harness.Store.ExistsAsync(JobArtifacts.Result(job)));

        await other.DisposeAsync();   // the other holder finishes without a result (e.g. it crashed)
        JobOutcome outcome = (await harness.NextOutcomeAsync(Timeout)).Outcome!;
        AssertSucceeded(outcome);
        Assert.Equal(2, (await harness.ReadTextAsync(job.ArtifactPrefix + "metrics.jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task CancelMarker_StopsAtACheckpoint_ReportsCancelled_AndCompletes()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite.Endpoints);
        JobMessage job = WorkerHarness.PretrainJob("cancel", maxSteps: 400, checkpointEvery: 2);
        await harness.Transport.SendAsync(job, CancellationToken.None);
        harness.Start();
        await WaitForAsync(() => harness.Store.ExistsAsync(job.ArtifactPrefix + "checkpoints/latest"));
        await harness.Store.UploadAsync(JobArtifacts.CancelMarker(job), new MemoryStream("stop"u8.ToArray()));

        JobReport report = await harness.NextOutcomeAsync(Timeout);
        Assert.Equal(JobStatus.Cancelled, report.Outcome!.Status);
        Assert.InRange(report.Outcome.Metrics["step"], 2, 399);
        Assert.Equal(CheckpointName(report.Outcome.Metrics["step"]), await harness.ReadTextAsync(job.ArtifactPrefix + "checkpoints/latest"));
        await WaitForAsync(async () => (await harness.Jobs.PeekMessageAsync()).Value is null);
    }

    [Fact]
    public async Task InvalidOptions_AreDeadLetteredWithTheReason_AndReportedFailed()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite.Endpoints);
        JobMessage job = WorkerHarness.PretrainJob("bad", 2, 2, optionsJson: """{"preset":"nope","dataSource":"/data","overrides":["run.batchSize=0"]}""");
        await harness.Transport.SendAsync(job, CancellationToken.None);
        harness.Start();

        JobReport report = await harness.NextOutcomeAsync(Timeout);
        Assert.Equal(JobStatus.Failed, report.Outcome!.Status);
        Assert.Contains("preset 'nope'", report.Outcome.Reason);
        DeadLetteredJob dead = await harness.NextPoisonAsync(Timeout);
        Assert.Equal(report.Outcome.Reason, dead.Reason);
        Assert.Null((await harness.Jobs.PeekMessageAsync()).Value);
    }

    [Fact]
    public async Task JobDeliveredTooOften_IsDeadLettered_NotRun()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite.Endpoints);
        JobMessage job = WorkerHarness.PretrainJob("poison", maxSteps: 2, checkpointEvery: 2);
        await harness.Transport.SendAsync(job, CancellationToken.None);
        for (int i = 0; i < 2; i++)   // two earlier deliveries that crashed without settling
            await (await harness.Transport.ReceiveAsync(TimeSpan.FromSeconds(10), CancellationToken.None))!.AbandonAsync(CancellationToken.None);
        harness.Start(maxDeliveries: 2);

        DeadLetteredJob dead = await harness.NextPoisonAsync(Timeout);
        Assert.Equal("Delivered 3 times; the limit is 2.", dead.Reason);
        Assert.Equal(JobStatus.Failed, (await harness.NextOutcomeAsync(Timeout)).Outcome!.Status);
        Assert.False(await harness.Store.ExistsAsync(job.ArtifactPrefix + "checkpoints/latest"));
    }

    [Fact]
    public async Task RunningJob_IsInTheInFlightLedgerWithItsProgress_AndLeavesItWhenSettled()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite.Endpoints);
        JobMessage job = WorkerHarness.PretrainJob("ledger", maxSteps: 400, checkpointEvery: 100);
        await harness.Transport.SendAsync(job, CancellationToken.None);
        harness.Start();

        await WaitForAsync(() => Task.FromResult(InFlightJobs.Read(harness.WorkDirectory) is [{ Progress: not null }]));
        var (running, progress) = InFlightJobs.Read(harness.WorkDirectory).Single();
        Assert.Equal((job.JobId, job.Attempt), (running.JobId, running.Attempt));
        Assert.Matches(@"^step \d+ of \d+$", progress);
        await harness.StopAsync();

        Assert.Empty(InFlightJobs.Read(harness.WorkDirectory));
    }

    [Fact]
    public async Task RunningJob_WritesItsProgressToTheAttemptsBlob_AndPostsNoReportUntilItEnds()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite.Endpoints);
        JobMessage job = WorkerHarness.PretrainJob("progress-blob", maxSteps: 400, checkpointEvery: 100);
        await harness.Transport.SendAsync(job, CancellationToken.None);
        harness.Start();

        await WaitForAsync(async () => await JobProgressBlob.TryReadAsync(harness.Store, job.ArtifactPrefix, job.Attempt) is { Step: > 0 });
        JobProgressSnapshot progress = (await JobProgressBlob.TryReadAsync(harness.Store, job.ArtifactPrefix, job.Attempt))!;
        int reports = (await harness.Outcomes.PeekMessagesAsync(32)).Value.Length;
        await harness.StopAsync();

        Assert.Equal((job.JobId, job.Attempt), (progress.JobId, progress.Attempt));
        Assert.InRange(progress.Step, 1, progress.TotalSteps);
        Assert.NotNull(progress.Loss);
        Assert.Equal(0, reports);   // heartbeats stay in Blob storage; only the outcome goes to the orchestration
    }

    [Fact]
    public async Task CrashedWorkerProcess_FailsItsJobWithTheCause_AndTheRedeliveryIsDeadLetteredUnrun()
    {
        await using var harness = await WorkerHarness.CreateAsync(azurite.Endpoints);
        JobMessage job = WorkerHarness.PretrainJob("crash", maxSteps: 2, checkpointEvery: 2);
        var ledger = new InFlightJobs(harness.WorkDirectory);   // what a worker process left when it was killed mid-job
        ledger.Begin(job);
        ledger.Record(job, new JobProgress(job.JobId, 1, 2, new Dictionary<string, double>()));

        var failed = await CrashedJobs.FailAsync(harness.WorkDirectory, "SIGFPE (signal 8, exit 136)", harness.Store,
                                                 new StorageQueueOutcomeSink(harness.Outcomes), NullLogger.Instance, CancellationToken.None);

        Assert.Equal([job.JobId], failed.Select(j => j.JobId));
        Assert.Empty(InFlightJobs.Read(harness.WorkDirectory));
        JobOutcome reported = (await harness.NextOutcomeAsync(Timeout)).Outcome!;
        Assert.Equal(JobStatus.Failed, reported.Status);
        Assert.Equal("The worker process died by SIGFPE (signal 8, exit 136) while running this Pretrain job (attempt 1, last report at step 1 of 2).", reported.Reason);
        Assert.Equal(reported.Reason, await harness.ReadTextAsync(JobArtifacts.CrashReport(job)));
        Assert.Equal(JobStatus.Failed, JobJson.DeserializeOutcome(System.Text.Encoding.UTF8.GetBytes(await harness.ReadTextAsync(JobArtifacts.Result(job)))).Status);

        // Its message comes back when the dead process's lock lapses: it is dead-lettered, not run and not reported again.
        await harness.Transport.SendAsync(job, CancellationToken.None);
        harness.Start();
        DeadLetteredJob dead = await harness.NextPoisonAsync(Timeout);
        Assert.Contains("died by a signal", dead.Reason);
        Assert.False(await harness.Store.ExistsAsync(job.ArtifactPrefix + "checkpoints/latest"));
        Assert.Null((await harness.Outcomes.PeekMessageAsync()).Value);

        // The orchestrator's next attempt runs.
        await harness.Transport.SendAsync(job with { Attempt = 2 }, CancellationToken.None);
        AssertSucceeded((await harness.NextOutcomeAsync(Timeout)).Outcome!);
    }

    private static void AssertSucceeded(JobOutcome outcome) =>
        Assert.True(outcome.Status == JobStatus.Succeeded, $"{outcome.Status}: {outcome.Reason}");

    private static long Step(string checkpointName) => long.Parse(checkpointName["step-".Length..]);

    private static string CheckpointName(double step) => $"step-{(long)step:D6}";

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (!await condition()) await Task.Delay(200, deadline.Token);
    }
}
