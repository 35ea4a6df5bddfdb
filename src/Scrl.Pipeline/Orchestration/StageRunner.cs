using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Activities;
using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Orchestration;

/// <summary>
/// Runs one worker stage inside a run orchestration: post the job, wait for its outcome until the deadline, reading
/// the result manifest every <see cref="Specs.StagePolicy.ResultCheckInterval"/> to rescue a lost report, and retry with
/// exponential backoff, each retry with the next attempt number (the worker resumes from the stage's last checkpoint).
/// A failure reported by an older attempt is ignored: it arrived late and says nothing of the attempt running now. A
/// dead-lettered attempt fails the stage without a retry. The only events it waits on are state changes (an attempt's
/// outcome, cancellation): workers keep progress in <see cref="JobProgressBlob"/>, which the status route reads, so a
/// multi-day attempt's heartbeats add nothing to the orchestration's history.
/// Deterministic: orchestrator code only.
/// </summary>
internal sealed class StageRunner
{
    private readonly TaskOrchestrationContext _context;
    private readonly StageJob _job;
    private readonly Task<CancelRequest> _cancelRequested;
    private readonly RunProgressBoard _board;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stopWaiting = new();

    // One completion waiter for the whole stage, renewed only when it fires. A waiter abandoned at an attempt's
    // deadline would otherwise stay queued and could swallow the next attempt's event.
    private Task<JobOutcome> _completed;

    public StageRunner(TaskOrchestrationContext context, StageJob job, Task<CancelRequest> cancelRequested,
                       RunProgressBoard board, ILogger log)
    {
        (_context, _job, _cancelRequested, _board, _log) = (context, job, cancelRequested, board, log);
        _completed = WaitForCompletion();
    }

    public async Task<StageResult> RunAsync()
    {
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                if (_cancelRequested.IsCompleted) return await CancelAsync(attempt - 1);
                _board.Attempting(_job.Stage, attempt);
                DateTime deadline = _context.CurrentUtcDateTime + _job.Policy.Timeout;
                await _context.CallActivityAsync<string>(nameof(PostJobActivity), Message(attempt, deadline), RetryPolicies.TransientIo);

                (Task woke, JobOutcome? outcome, bool rescued) = await AwaitOutcomeAsync(attempt, deadline);
                if (woke == _cancelRequested) return await CancelAsync(attempt);
                if (outcome is { Status: JobStatus.Succeeded })
                    return Result(attempt, outcome, rescued);

                string reason = FailureReason(outcome, deadline);
                _log.LogWarning("Run {RunId}: stage {Stage} attempt {Attempt} failed: {Reason}", _job.RunId, _job.Stage, attempt, reason);
                if (outcome is { DeadLettered: true }) // another attempt would be dead-lettered the same way
                    return Failed(attempt, $"{_job.Stage} failed on attempt {attempt}, dead-lettered: {reason}");
                if (attempt >= _job.Policy.MaxAttempts)
                    return Failed(attempt, $"{_job.Stage} failed after {attempt} attempt(s): {reason}");

                _board.Update(_job.Stage, s => s with { State = "waiting-to-retry" });
                Task wokeFromBackoff = await WaitUntilAsync(_context.CurrentUtcDateTime + _job.Policy.RetryDelayAfter(attempt), attempt);
                if (wokeFromBackoff == _cancelRequested) return await CancelAsync(attempt);
                if (wokeFromBackoff == _completed && await TakeCompletionAsync() is { Status: JobStatus.Succeeded } late)
                    return Result(attempt, late, rescued: false); // a slow attempt finished after all
            }
        }
        finally
        {
            _stopWaiting.Cancel();
            _stopWaiting.Dispose();
            _board.Finished(_job.Stage);
        }
    }

    /// <summary>Waits for attempt <paramref name="attempt"/>'s outcome: its report, or its result manifest, read every
    /// check interval and once more at <paramref name="deadline"/>. Returns what woke it (the cancel task, the completion
    /// event or a timer), the outcome (null on cancellation, or at the deadline with no manifest) and whether the
    /// manifest supplied it.</summary>
    private async Task<(Task Woke, JobOutcome? Outcome, bool Rescued)> AwaitOutcomeAsync(int attempt, DateTime deadline)
    {
        while (true)
        {
            DateTime check = _context.CurrentUtcDateTime + _job.Policy.ResultCheckInterval;
            bool atDeadline = check >= deadline;
            Task woke = await WaitUntilAsync(atDeadline ? deadline : check, attempt);
            if (woke == _cancelRequested) return (woke, null, false);
            if (woke == _completed) return (woke, await TakeCompletionAsync(), false);
            JobOutcome? manifest = await ReadManifestAsync(attempt, atDeadline);
            if (manifest is not null || atDeadline) return (woke, manifest, true);
        }
    }

    /// <summary>Waits for the completion event, cancellation or <paramref name="until"/>, dropping failures of attempts
    /// before <paramref name="attempt"/> on the way. Returns the
    /// task that woke it: <see cref="_completed"/>, the cancel task or the timer.</summary>
    private async Task<Task> WaitUntilAsync(DateTime until, int attempt)
    {
        using var timerCancel = new CancellationTokenSource();
        Task timer = _context.CreateTimer(until, timerCancel.Token);
        while (true)
        {
            Task woke = await Task.WhenAny(_completed, _cancelRequested, timer);
            if (woke == _completed && IsStale(await _completed, attempt))
            {
                JobOutcome stale = await _completed;
                _log.LogWarning("Run {RunId}: stage {Stage} ignored a late {Status} of attempt {Old}, waiting on attempt {Attempt}",
                                _job.RunId, _job.Stage, stale.Status, stale.Attempt, attempt);
                _completed = WaitForCompletion();
                continue;
            }
            if (woke != timer) timerCancel.Cancel(); // a pending durable timer would keep the orchestration waiting
            return woke;
        }
    }

    private async Task<JobOutcome> TakeCompletionAsync()
    {
        JobOutcome outcome = await _completed; // already complete: WhenAny returned it
        _completed = WaitForCompletion();
        return outcome;
    }

    /// <summary>The job's result manifest when it holds this attempt's outcome (or a success of any attempt); else null.</summary>
    private async Task<JobOutcome?> ReadManifestAsync(int attempt, bool atDeadline)
    {
        if (atDeadline) _board.Update(_job.Stage, s => s with { State = "checking-result-manifest" });
        JobOutcome? manifest = await _context.CallActivityAsync<JobOutcome?>(
            nameof(ReadResultManifestActivity), _job.ArtifactPrefix, RetryPolicies.TransientIo);
        if (manifest is null || IsStale(manifest, attempt)) return null;
        _log.LogWarning("Run {RunId}: stage {Stage} attempt {Attempt}: no report arrived; outcome read from the result manifest",
                        _job.RunId, _job.Stage, attempt);
        return manifest;
    }

    // A success is the job's, whichever attempt got there (the worker never replaces a stored one); an older attempt's
    // failure or cancellation is not this attempt's. Attempt 0: an outcome from before outcomes carried their attempt.
    private static bool IsStale(JobOutcome outcome, int attempt) =>
        outcome.Status != JobStatus.Succeeded && outcome.Attempt != 0 && outcome.Attempt < attempt;

    private string FailureReason(JobOutcome? outcome, DateTime deadline) => outcome switch
    {
        null => $"no outcome by the deadline {deadline:O} and no result manifest under {_job.ArtifactPrefix}",
        { Status: JobStatus.Cancelled } => $"the worker cancelled the job: {outcome.Reason ?? "no reason given"}",
        _ => outcome.Reason ?? "the worker reported a failure without a reason",
    };

    private async Task<StageResult> CancelAsync(int attempts)
    {
        CancelRequest request = await _cancelRequested;
        await _context.CallActivityAsync<string>(
            nameof(WriteCancelMarkerActivity), new CancelMarker(_job.ArtifactPrefix, request.Reason), RetryPolicies.TransientIo);
        return new StageResult(_job.Stage, _job.Kind, JobStatus.Cancelled, attempts, $"cancelled: {request.Reason}",
                               new Dictionary<string, double>(), [], RescuedFromManifest: false);
    }

    private JobMessage Message(int attempt, DateTime deadline) =>
        new(_job.JobId, _job.RunId, _job.Kind, attempt, _job.OptionsJson, _job.ArtifactPrefix, new DateTimeOffset(deadline, TimeSpan.Zero));

    private StageResult Result(int attempts, JobOutcome outcome, bool rescued) =>
        new(_job.Stage, _job.Kind, JobStatus.Succeeded, attempts, null, outcome.Metrics, outcome.Artifacts, rescued);

    private StageResult Failed(int attempts, string reason) =>
        new(_job.Stage, _job.Kind, JobStatus.Failed, attempts, reason, new Dictionary<string, double>(), [], RescuedFromManifest: false);

    private Task<JobOutcome> WaitForCompletion() =>
        _context.WaitForExternalEvent<JobOutcome>(EventNames.JobCompletedFor(_job.JobId), _stopWaiting.Token);
}
