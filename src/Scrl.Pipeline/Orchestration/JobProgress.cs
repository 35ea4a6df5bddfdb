namespace Scrl.Pipeline.Orchestration;

/// <summary>Payload of <see cref="EventNames.JobProgressFor"/>: a worker's heartbeat with where its job stands.</summary>
/// <param name="Step">Steps done so far (training iterations, shards written, ...).</param>
/// <param name="TotalSteps">Steps the job will take in all.</param>
/// <param name="Loss">The latest training loss, when the stage trains.</param>
/// <param name="Eta">The worker's estimate of the time left.</param>
public sealed record JobProgress(string JobId, long Step, long TotalSteps, double? Loss, TimeSpan? Eta);
