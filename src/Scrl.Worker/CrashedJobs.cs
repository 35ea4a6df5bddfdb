using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Outcomes;

namespace Scrl.Worker;

/// <summary>
/// What the parent of a worker process does when that process died by a signal: every job it was running fails with
/// the cause, in <c>result.json</c> and as a reported outcome, and is marked so that the redelivery of its message
/// is dead-lettered rather than run (and crashed) again under the same attempt.
/// </summary>
public static class CrashedJobs
{
    /// <param name="workDirectory">The dead worker's scratch space, where <see cref="InFlightJobs"/> kept its ledger.</param>
    /// <param name="cause">How the process ended, e.g. "SIGFPE (signal 8, exit 136)".</param>
    /// <returns>The jobs failed.</returns>
    public static async Task<IReadOnlyList<JobMessage>> FailAsync(
        string workDirectory, string cause, IArtifactStore store, IJobOutcomeSink sink, ILogger log, CancellationToken cancellationToken)
    {
        var failed = new List<JobMessage>();
        var ledger = new InFlightJobs(workDirectory);
        foreach (var (job, progress) in InFlightJobs.Read(workDirectory))
        {
            string reason = $"The worker process died by {cause} while running this {job.Stage} job (attempt {job.Attempt}" +
                            (progress is null ? ", before its first progress report)." : $", last report at {progress}).");
            log.LogError("Run {RunId}, job {JobId}: {Reason}", job.RunId, job.JobId, reason);
            var outcome = new JobOutcome(job.JobId, JobStatus.Failed, reason, new Dictionary<string, double>(), []);
            using (var marker = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(reason)))
                await store.UploadAsync(JobArtifacts.CrashReport(job), marker, cancellationToken).ConfigureAwait(false);
            await JobArtifacts.WriteResultAsync(store, job, outcome, cancellationToken).ConfigureAwait(false);
            try
            {
                await sink.ReportOutcomeAsync(job, outcome, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Reporting the crash failed; the orchestrator will read result.json");
            }
            ledger.End(job);
            failed.Add(job);
        }
        return failed;
    }
}
