using System.Text;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Outcomes;

namespace Scrl.Functions.Triggers;

/// <summary>
/// The workers' return path: each <see cref="JobReport"/> on the outcomes queue becomes the run orchestration's
/// per-job event (<see cref="EventNames.JobCompletedFor"/> or <see cref="EventNames.JobProgressFor"/>).
/// A body that is not a report fails the invocation; after maxDequeueCount (host.json) it lands in
/// <c>outcomes-poison</c>, and the orchestrator still finds the job's result manifest at its deadline.
/// </summary>
public sealed class JobReportTrigger(ILogger<JobReportTrigger> log)
{
    [Function(nameof(JobReportTrigger))]
    public async Task RunAsync(
        [QueueTrigger(StorageQueueOutcomeSink.DefaultQueueName)] string body,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken)
    {
        JobReport report = JobJson.DeserializeReport(Encoding.UTF8.GetBytes(body));
        switch (report)
        {
            case { Kind: JobReportKind.Outcome, Outcome: { } outcome }:
                await client.RaiseEventAsync(report.RunId, EventNames.JobCompletedFor(report.JobId), outcome, cancellationToken);
                log.LogInformation("Run {RunId}: job {JobId} attempt {Attempt} ended {Status}", report.RunId, report.JobId, report.Attempt, outcome.Status);
                break;
            case { Kind: JobReportKind.Progress, Progress: { } progress }:
                await client.RaiseEventAsync(report.RunId, EventNames.JobProgressFor(report.JobId), ToEvent(progress), cancellationToken);
                break;
            default:
                throw new JsonException($"Job report for {report.JobId} of kind {report.Kind} carries no {report.Kind.ToString().ToLowerInvariant()}.");
        }
    }

    /// <summary>The worker's heartbeat as the orchestrator's progress event: the training loss is the
    /// <c>loss</c> metric when the stage trains.</summary>
    internal static Pipeline.Orchestration.JobProgress ToEvent(Pipeline.Jobs.JobProgress progress) =>
        new(progress.JobId, progress.Step, progress.TotalSteps,
            progress.Metrics.TryGetValue("loss", out double loss) ? loss : null, Eta: null);
}
