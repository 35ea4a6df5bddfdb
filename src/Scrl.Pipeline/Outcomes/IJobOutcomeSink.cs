using Scrl.Pipeline.Jobs;

namespace Scrl.Pipeline.Outcomes;

/// <summary>
/// The worker-to-orchestrator return path: raises the orchestration's event for a job's outcome, its one state change
/// the orchestration waits on (progress goes to <see cref="JobProgressBlob"/>). Delivery may be lost; the orchestrator
/// falls back to the job's <c>result.json</c>, read every check interval.
/// </summary>
public interface IJobOutcomeSink
{
    /// <summary>Reports how the job ended. Safe to repeat: the orchestrator takes the first outcome per attempt.</summary>
    Task ReportOutcomeAsync(JobMessage job, JobOutcome outcome, CancellationToken cancellationToken);
}
