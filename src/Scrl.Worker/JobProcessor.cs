using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Outcomes;
using Scrl.Worker.Stages;

namespace Scrl.Worker;

/// <summary>
/// One received job from lock to settlement: skip if already done, reject poison, claim, run with a heartbeat,
/// write <c>result.json</c>, report, complete. Host shutdown abandons the job instead, after its stage saved a
/// checkpoint, so the next delivery resumes.
/// </summary>
internal sealed class JobProcessor(
    IArtifactStore store, IJobOutcomeSink sink, IReadOnlyDictionary<StageKind, IStageRunner> runners, JobWorkerOptions options, ILogger log)
{
    public async Task ProcessAsync(IReceivedJob received, CancellationToken stoppingToken)
    {
        JobMessage job = received.Job;
        log.LogInformation("Received job (attempt {Attempt}, delivery {DeliveryCount})", job.Attempt, received.DeliveryCount);
        if (await JobArtifacts.TryReadResultAsync(store, job, stoppingToken).ConfigureAwait(false) is { Status: JobStatus.Succeeded } done)
        {
            log.LogInformation("Job already succeeded; reporting the stored result without running it again");
            await FinishAsync(received, done, stoppingToken).ConfigureAwait(false);
            return;
        }
        if (await store.ExistsAsync(JobArtifacts.CrashReport(job), stoppingToken).ConfigureAwait(false))
        {
            // Its worker process died by a signal on this attempt and the supervisor already failed and reported it:
            // running it again would crash again, and a second report would count against the next attempt.
            log.LogError("This attempt already died with its worker process (see {CrashReport}); dead-lettering its redelivery", JobArtifacts.CrashReport(job));
            await received.DeadLetterAsync("The worker process died by a signal running this attempt; its failure was reported then.", stoppingToken).ConfigureAwait(false);
            return;
        }
        if (!runners.TryGetValue(job.Stage, out IStageRunner? runner))
        {
            await FinishAsync(received, Failed(job, $"Stage {job.Stage} is not supported by this worker yet."), stoppingToken).ConfigureAwait(false);
            return;
        }
        if (runner.Validate(job) is { Count: > 0 } problems)
        {
            await RejectAsync(received, "Invalid options: " + string.Join("; ", problems), stoppingToken).ConfigureAwait(false);
            return;
        }

        await using IArtifactClaim? claim = await store.TryClaimAsync(JobArtifacts.Claim(job), options.ClaimLease, stoppingToken).ConfigureAwait(false);
        if (claim is null)
        {
            // Another worker runs this job (this is a redelivery after its message lock lapsed): never run it twice at once.
            log.LogInformation("Claim is held elsewhere; abandoning for {RetryDelay}", options.ClaimHeldRetryDelay);
            await received.AbandonAsync(options.ClaimHeldRetryDelay, stoppingToken).ConfigureAwait(false);
            return;
        }
        // Counted only under the claim: deliveries bounced off a running job's claim say nothing about the job.
        if (received.DeliveryCount > options.MaxDeliveries)
        {
            await RejectAsync(received, $"Delivered {received.DeliveryCount} times; the limit is {options.MaxDeliveries}.", stoppingToken).ConfigureAwait(false);
            return;
        }
        if (await JobArtifacts.IsCancelRequestedAsync(store, job, stoppingToken).ConfigureAwait(false))
        {
            await FinishAsync(received, Cancelled(job, "Cancelled before it started."), stoppingToken).ConfigureAwait(false);
            return;
        }
        claim.StartAutoRenewal();
        await RunAsync(received, runner, claim, stoppingToken).ConfigureAwait(false);
    }

    /// <summary>The stage threw: retry it by abandoning, unless this was its last allowed delivery.</summary>
    public async Task FailAsync(IReceivedJob received, Exception error, CancellationToken stoppingToken)
    {
        using var grace = new CancellationTokenSource(options.ShutdownGrace);
        if (received.DeliveryCount >= options.MaxDeliveries)
            await RejectAsync(received, $"Failed on delivery {received.DeliveryCount} of {options.MaxDeliveries}: {error.Message}", grace.Token).ConfigureAwait(false);
        else
            await received.AbandonAsync(grace.Token).ConfigureAwait(false);
    }

    private async Task RunAsync(IReceivedJob received, IStageRunner runner, IArtifactClaim claim, CancellationToken stoppingToken)
    {
        using var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, claim.LostToken);
        var progress = new LatestProgress();
        var context = new StageContext(received.Job, store, claim, progress, options.WorkDirectory, options.ShutdownGrace);
        var inFlight = new InFlightJobs(options.WorkDirectory);
        inFlight.Begin(received.Job);
        try
        {
            await RunAndSettleAsync(received, runner, claim, context, progress, inFlight, run, stoppingToken).ConfigureAwait(false);
        }
        finally
        {
            inFlight.End(received.Job);
        }
    }

    private async Task RunAndSettleAsync(IReceivedJob received, IStageRunner runner, IArtifactClaim claim, StageContext context,
                                         LatestProgress progress, InFlightJobs inFlight, CancellationTokenSource run, CancellationToken stoppingToken)
    {
        JobOutcome outcome;
        await using (JobHeartbeat.Start(received, progress, inFlight, store, options.HeartbeatInterval, log))
        {
            try
            {
                outcome = await runner.RunAsync(context, run.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (run.IsCancellationRequested)
            {
                outcome = null!;
            }
        }
        if (run.IsCancellationRequested)
        {
            // Shutdown or a lost claim: the stage saved a checkpoint; hand the job back so a delivery resumes it.
            log.LogWarning("Job stopped before finishing (claim lost: {ClaimLost}); abandoning it for redelivery", claim.IsLost);
            using var grace = new CancellationTokenSource(options.ShutdownGrace);
            await received.AbandonAsync(grace.Token).ConfigureAwait(false);
            return;
        }
        await FinishAsync(received, outcome, stoppingToken).ConfigureAwait(false);
    }

    private async Task FinishAsync(IReceivedJob received, JobOutcome outcome, CancellationToken cancellationToken)
    {
        await JobArtifacts.WriteResultAsync(store, received.Job, outcome, cancellationToken).ConfigureAwait(false);
        await ReportAsync(received.Job, outcome, cancellationToken).ConfigureAwait(false);
        try
        {
            await received.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (JobLockLostException)
        {
            log.LogWarning("Message lock lost before completing; its redelivery will find result.json and stop there");
        }
        log.LogInformation("Job {Status}: {Reason}", outcome.Status, outcome.Reason);
    }

    private async Task RejectAsync(IReceivedJob received, string reason, CancellationToken cancellationToken)
    {
        log.LogError("Dead-lettering job: {Reason}", reason);
        JobOutcome outcome = Failed(received.Job, reason) with { DeadLettered = true };
        await JobArtifacts.WriteResultAsync(store, received.Job, outcome, cancellationToken).ConfigureAwait(false);
        await ReportAsync(received.Job, outcome, cancellationToken).ConfigureAwait(false);
        await received.DeadLetterAsync(reason, cancellationToken).ConfigureAwait(false);
    }

    // The outcome is also in result.json, which the orchestrator reads when no report arrives.
    private async Task ReportAsync(JobMessage job, JobOutcome outcome, CancellationToken cancellationToken)
    {
        try
        {
            await sink.ReportOutcomeAsync(job, outcome, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "Reporting the outcome failed; the orchestrator will read result.json");
        }
    }

    private static JobOutcome Failed(JobMessage job, string reason) => new(job.JobId, JobStatus.Failed, reason, new Dictionary<string, double>(), []);

    private static JobOutcome Cancelled(JobMessage job, string reason) => new(job.JobId, JobStatus.Cancelled, reason, new Dictionary<string, double>(), []);
}
