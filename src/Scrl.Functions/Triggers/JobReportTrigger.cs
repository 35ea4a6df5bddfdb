using System.Text;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Outcomes;

namespace Scrl.Functions.Triggers;

/// <summary>
/// The workers' return path: each <see cref="JobReport"/> on the outcomes queue becomes the run orchestration's
/// per-job completion event (<see cref="EventNames.JobCompletedFor"/>).
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
        JobEvent raised = JobReportEvents.From(report);
        await client.RaiseEventAsync(raised.InstanceId, raised.Name, raised.Payload, cancellationToken);
        log.LogInformation("Run {RunId}: job {JobId} attempt {Attempt} ended {Status}", report.RunId, report.JobId, report.Attempt, report.Outcome.Status);
    }
}
