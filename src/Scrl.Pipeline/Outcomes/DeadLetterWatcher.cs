using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Outcomes;

/// <summary>
/// Reads the dead-letter queues of the job queues and turns each dead-lettered job into the failed outcome of its attempt,
/// with the broker's reason: written to <c>result.json</c> and reported, so the stage fails at once instead of waiting
/// out its deadline. Each dead letter is kept under <c>{prefix}dead-letter-attempt-{n}.json</c>, then removed from the
/// queue. Handling is idempotent: a dead letter read twice (its reader died before completing it) reports nothing new.
/// This is a host boundary: one bad dead letter is logged and the loop goes on.
/// </summary>
public sealed class DeadLetterWatcher(
    IReadOnlyList<IDeadLetterSource> sources, IArtifactStore store, IJobOutcomeSink sink, ILogger<DeadLetterWatcher> log)
{
    // Long enough to take a free claim for a moment; the blob store's shortest lease.
    private static readonly TimeSpan ClaimProbe = TimeSpan.FromSeconds(15);

    /// <summary>How long one receive waits for a dead letter; a new one is handled within about this long.</summary>
    public TimeSpan ReceiveWait { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Runs until <paramref name="stoppingToken"/> fires.</summary>
    public Task RunAsync(CancellationToken stoppingToken) => Task.WhenAll(sources.Select(s => LoopAsync(s, stoppingToken)));

    private async Task LoopAsync(IDeadLetterSource source, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                IReceivedDeadLetter? letter = await source.ReceiveDeadLetterAsync(ReceiveWait, stoppingToken).ConfigureAwait(false);
                if (letter is not null) await HandleAsync(source.QueueName, letter, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Unsettled, the dead letter comes back when its lock lapses and is handled then.
                log.LogError(ex, "Handling a dead letter of {Queue} failed; retrying after {Delay}", source.QueueName, ReceiveWait);
                await Task.Delay(ReceiveWait, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Fails the dead letter's attempt unless it already has its outcome or still runs, then completes it.</summary>
    public async Task HandleAsync(string queueName, IReceivedDeadLetter letter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letter);
        if (letter.Job is not { } job)
        {
            log.LogError("Dead letter of {Queue} is not a job ({Reason}); dropping it: {Body}", queueName, letter.Record.Reason, letter.Record.Body);
            await letter.CompleteAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        using IDisposable? scope = log.BeginScope(new Dictionary<string, object> { ["RunId"] = job.RunId, ["Stage"] = job.Stage, ["JobId"] = job.JobId });
        await store.UploadAsync(Archive(job), new MemoryStream(JobJson.Serialize(letter.Record)), cancellationToken).ConfigureAwait(false);
        if (await ShouldFailAsync(job, cancellationToken).ConfigureAwait(false))
        {
            var outcome = new JobOutcome(job.JobId, JobStatus.Failed,
                $"Dead-lettered by {queueName} after {letter.Record.DeliveryCount} deliveries: {letter.Record.Reason}",
                new Dictionary<string, double>(), []) { Attempt = job.Attempt, DeadLettered = true };
            await JobArtifacts.WriteResultAsync(store, job, outcome, cancellationToken).ConfigureAwait(false);
            await ReportAsync(job, outcome, cancellationToken).ConfigureAwait(false);
            log.LogError("Attempt {Attempt} failed: {Reason}", job.Attempt, outcome.Reason);
        }
        await letter.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ShouldFailAsync(JobMessage job, CancellationToken cancellationToken)
    {
        if (await JobArtifacts.TryReadResultAsync(store, job, cancellationToken).ConfigureAwait(false) is { } stored
            && (stored.Status == JobStatus.Succeeded || stored.Attempt >= job.Attempt))
        {
            log.LogInformation("Attempt {Attempt} already has its outcome ({Status}); nothing to report", job.Attempt, stored.Status);
            return false;
        }
        // Redeliveries that bounced off a running job's claim count towards the delivery limit too: while a worker still
        // holds the claim the job runs, and that worker writes its outcome.
        await using IArtifactClaim? claim = await store.TryClaimAsync(JobArtifacts.Claim(job), ClaimProbe, cancellationToken).ConfigureAwait(false);
        if (claim is null)
        {
            log.LogWarning("Dead-lettered while a worker still holds its claim; that worker will report the outcome");
            return false;
        }
        await claim.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    // The outcome is in result.json too, which the orchestrator reads every result check interval.
    private async Task ReportAsync(JobMessage job, JobOutcome outcome, CancellationToken cancellationToken)
    {
        try
        {
            await sink.ReportOutcomeAsync(job, outcome, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning(ex, "Reporting the dead-lettered outcome failed; the orchestrator will read result.json");
        }
    }

    private static string Archive(JobMessage job) => ArtifactName.Validate($"{job.ArtifactPrefix}dead-letter-attempt-{job.Attempt}.json");
}
