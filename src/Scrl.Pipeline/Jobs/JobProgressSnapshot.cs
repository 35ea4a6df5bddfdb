namespace Scrl.Pipeline.Jobs;

/// <summary>
/// A running attempt's latest progress, as its worker keeps it in <see cref="JobProgressBlob"/>: overwritten every
/// heartbeat, read by the status route. The orchestration never sees it, so heartbeats add nothing to its history.
/// </summary>
/// <param name="Step">Steps done (training steps, shards written...).</param>
/// <param name="TotalSteps">Steps the job will do; 0 when unknown.</param>
/// <param name="Loss">The latest training loss, when the stage trains.</param>
/// <param name="At">When the worker wrote it: a stale time says the worker stopped beating.</param>
public sealed record JobProgressSnapshot(string JobId, int Attempt, long Step, long TotalSteps, double? Loss, DateTimeOffset At)
{
    /// <summary>A heartbeat of attempt <paramref name="attempt"/>; the training loss is the <c>loss</c> metric.</summary>
    public static JobProgressSnapshot From(JobProgress progress, int attempt, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return new(progress.JobId, attempt, progress.Step, progress.TotalSteps,
                   progress.Metrics.TryGetValue("loss", out double loss) ? loss : null, at);
    }
}
