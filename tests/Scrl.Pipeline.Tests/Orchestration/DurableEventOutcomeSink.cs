using Microsoft.DurableTask.Client;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Outcomes;

namespace Scrl.Pipeline.Tests.Orchestration;

/// <summary>
/// Reports straight to the run's orchestration, as the outcomes-queue trigger does once the report is dequeued: the same
/// <see cref="JobReportEvents"/> mapping, raised through the real Durable client.
/// </summary>
internal sealed class DurableEventOutcomeSink(DurableTaskClient client) : IJobOutcomeSink
{
    public Task ReportOutcomeAsync(JobMessage job, JobOutcome outcome, CancellationToken cancellationToken) =>
        RaiseAsync(new JobReport(job.RunId, job.JobId, job.Stage, job.Attempt, outcome with { Attempt = job.Attempt }), cancellationToken);

    private Task RaiseAsync(JobReport report, CancellationToken cancellationToken)
    {
        JobEvent raised = JobReportEvents.From(report);
        return client.RaiseEventAsync(raised.InstanceId, raised.Name, raised.Payload, cancellationToken);
    }
}
