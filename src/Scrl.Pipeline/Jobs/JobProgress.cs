namespace Scrl.Pipeline.Jobs;

/// <summary>A heartbeat from a running job: how far it got and its latest headline numbers.</summary>
/// <param name="Step">Steps done (training steps, shards written...).</param>
/// <param name="TotalSteps">Steps the job will do; 0 when unknown.</param>
public sealed record JobProgress(
    string JobId,
    long Step,
    long TotalSteps,
    IReadOnlyDictionary<string, double> Metrics);
