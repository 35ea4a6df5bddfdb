namespace Scrl.Pipeline.Orchestration;

/// <summary>
/// Names of the external events a run orchestration listens for. Raise them on the run's instance (id = run id).
/// </summary>
/// <remarks>
/// Job events are addressed to one job (<see cref="JobCompletedFor"/>): the fine-tune
/// jobs of a run wait at the same time, and Durable hands an event to whichever waiter of that name comes first.
/// A per-job name also keeps a late callback for a stage that already finished (its outcome rescued from the result
/// manifest) from being taken as the outcome of a later stage.
/// </remarks>
public static class EventNames
{
    /// <summary>Prefix of the per-job completion event; its payload is a <see cref="Jobs.JobOutcome"/>.</summary>
    public const string JobCompleted = "JobCompleted";

    /// <summary>Asks the run to stop; payload <see cref="CancelRequest"/>. Raised by the cancel API.</summary>
    public const string CancelRequested = "CancelRequested";

    /// <summary>The event a worker raises when job <paramref name="jobId"/> ends: <c>JobCompleted:{jobId}</c>.</summary>
    public static string JobCompletedFor(string jobId) => $"{JobCompleted}:{jobId}";
}
