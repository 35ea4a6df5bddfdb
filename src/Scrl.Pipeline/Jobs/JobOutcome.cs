using System.Text.Json.Serialization;

namespace Scrl.Pipeline.Jobs;

[JsonConverter(typeof(JsonStringEnumConverter<JobStatus>))]
public enum JobStatus { Succeeded, Failed, Cancelled }

/// <summary>
/// How a job ended, as the worker reports it and as it writes it to <c>{ArtifactPrefix}result.json</c>
/// (the result manifest the orchestrator reads when a callback is lost).
/// </summary>
/// <param name="Reason">Why it failed or was cancelled; null on success.</param>
/// <param name="Metrics">Headline numbers of the stage (final loss, accuracy, AP...).</param>
/// <param name="Artifacts">Names of the artifacts the stage produced, relative to the store root.</param>
public sealed record JobOutcome(
    string JobId,
    JobStatus Status,
    string? Reason,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<string> Artifacts)
{
    /// <summary>The attempt (<see cref="JobMessage.Attempt"/>) this outcome ends; 0 when unknown (written before
    /// outcomes carried it). The orchestrator ignores an outcome of an attempt older than the one it waits for.</summary>
    public int Attempt { get; init; }

    /// <summary>The job was dead-lettered (by the broker past its delivery limit or expiry, or by a worker that rejected
    /// it): another attempt would meet the same end, so the orchestrator fails the stage without retrying.</summary>
    public bool DeadLettered { get; init; }
}
