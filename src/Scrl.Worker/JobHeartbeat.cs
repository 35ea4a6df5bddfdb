using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;

namespace Scrl.Worker;

/// <summary>
/// While a job runs: renews its message lock and writes its newest progress to the attempt's
/// <see cref="JobProgressBlob"/>, every interval. Progress goes to Blob storage, not to the orchestration: a three-day
/// attempt beats some 13,000 times, and each event would be a history row and a replay. A lost lock is logged, not
/// fatal: the artifact claim keeps the job exclusive, and a redelivery finds the claim held.
/// </summary>
internal sealed class JobHeartbeat : IAsyncDisposable
{
    private readonly IReceivedJob _received;
    private readonly LatestProgress _progress;
    private readonly InFlightJobs _inFlight;
    private readonly IArtifactStore _store;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private JobHeartbeat(IReceivedJob received, LatestProgress progress, InFlightJobs inFlight, IArtifactStore store, TimeSpan interval, ILogger log)
    {
        (_received, _progress, _inFlight, _store, _log) = (received, progress, inFlight, store, log);
        _loop = RunAsync(interval, _stop.Token);
    }

    public static JobHeartbeat Start(IReceivedJob received, LatestProgress progress, InFlightJobs inFlight, IArtifactStore store,
                                     TimeSpan interval, ILogger log) =>
        new(received, progress, inFlight, store, interval, log);

    /// <summary>Stops beating; returns once no renewal is in flight, so the caller can settle the message.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync(TimeSpan interval, CancellationToken stop)
    {
        bool lockHeld = true;
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                if (lockHeld) lockHeld = await RenewAsync(stop).ConfigureAwait(false);
                if (_progress.TakeNew() is { } progress) await ReportAsync(progress, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // stopped by DisposeAsync
        }
    }

    private async Task<bool> RenewAsync(CancellationToken stop)
    {
        try
        {
            await _received.RenewLockAsync(stop).ConfigureAwait(false);
            return true;
        }
        catch (JobLockLostException)
        {
            _log.LogWarning("Message lock lost; the job continues under its claim and the redelivery will find the claim held");
            return false;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Background loop with nothing above it: a transient renewal failure is retried next beat.
            _log.LogWarning(ex, "Renewing the message lock failed; retrying at the next heartbeat");
            return true;
        }
    }

    private async Task ReportAsync(JobProgress progress, CancellationToken stop)
    {
        try
        {
            _inFlight.Record(_received.Job, progress);   // what the supervisor reports if this process dies
            await JobProgressBlob.WriteAsync(_store, _received.Job, JobProgressSnapshot.From(progress, _received.Job.Attempt, DateTimeOffset.UtcNow), stop)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Progress is advisory; losing one heartbeat must not stop training.
            _log.LogWarning(ex, "Reporting progress at step {Step} failed", progress.Step);
        }
    }
}
