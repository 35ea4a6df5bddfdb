using Azure.Storage.Queues;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Transports;

namespace Scrl.Pipeline.Outcomes;

/// <summary>
/// Posts <see cref="JobReport"/>s (outcomes) to a Storage queue, by default <c>outcomes</c>,
/// which a Functions queue trigger or the emulator's pump turns into orchestration events.
/// Bodies are base64 JSON, like the jobs queue.
/// </summary>
public sealed class StorageQueueOutcomeSink(QueueClient outcomes) : IJobOutcomeSink
{
    public const string DefaultQueueName = "outcomes";

    public Task ReportOutcomeAsync(JobMessage job, JobOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(outcome);
        return SendAsync(new JobReport(job.RunId, job.JobId, job.Stage, job.Attempt, outcome with { Attempt = job.Attempt }), cancellationToken);
    }

    private async Task SendAsync(JobReport report, CancellationToken cancellationToken) =>
        await outcomes.SendMessageAsync(StorageQueueBody.Encode(JobJson.Serialize(report)), cancellationToken).ConfigureAwait(false);
}
