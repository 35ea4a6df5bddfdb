using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Outcomes;

/// <summary>
/// Sends each job's reports where the job asks: to its callback URI when it has one, otherwise to the
/// queue sink. Without either route the report is dropped, and <c>result.json</c> alone carries the outcome.
/// </summary>
public sealed class RoutingOutcomeSink(HttpCallbackOutcomeSink callbacks, IJobOutcomeSink? queue) : IJobOutcomeSink
{
    public Task ReportOutcomeAsync(JobMessage job, JobOutcome outcome, CancellationToken cancellationToken) =>
        Route(job)?.ReportOutcomeAsync(job, outcome, cancellationToken) ?? Task.CompletedTask;

    private IJobOutcomeSink? Route(JobMessage job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return job.CallbackUri is not null ? callbacks : queue;
    }
}
