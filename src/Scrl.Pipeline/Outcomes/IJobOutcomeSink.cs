using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Outcomes;

/// <summary>
/// The worker-to-orchestrator return path: raises the orchestration's events for a job's progress and
/// outcome. Delivery may be lost; the orchestrator falls back to the job's <c>result.json</c> on timeout.
/// </summary>
public interface IJobOutcomeSink
{
    /// <summary>Reports a heartbeat of a running job. Sinks that cannot carry progress ignore it.</summary>
    Task ReportProgressAsync(JobMessage job, JobProgress progress, CancellationToken cancellationToken);

    /// <summary>Reports how the job ended. Safe to repeat: the orchestrator takes the first outcome per attempt.</summary>
    Task ReportOutcomeAsync(JobMessage job, JobOutcome outcome, CancellationToken cancellationToken);
}
