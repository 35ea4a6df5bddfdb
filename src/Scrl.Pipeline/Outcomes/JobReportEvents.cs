using System.Text.Json;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;

namespace Scrl.Pipeline.Outcomes;

/// <summary>An orchestration event to raise: on instance <paramref name="InstanceId"/> (the run id), named
/// <paramref name="Name"/>, with <paramref name="Payload"/>.</summary>
public sealed record JobEvent(string InstanceId, string Name, object Payload);

/// <summary>
/// Turns a worker's <see cref="JobReport"/> into the run orchestration's per-job event
/// (<see cref="EventNames.JobCompletedFor"/> or <see cref="EventNames.JobProgressFor"/>). The one mapping behind
/// every return path: the Functions queue trigger and the emulator's outcomes pump.
/// </summary>
public static class JobReportEvents
{
    /// <exception cref="JsonException">The report lacks the body its kind calls for.</exception>
    public static JobEvent From(JobReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report switch
        {
            { Kind: JobReportKind.Outcome, Outcome: { } outcome } =>
                new JobEvent(report.RunId, EventNames.JobCompletedFor(report.JobId), outcome),
            { Kind: JobReportKind.Progress, Progress: { } progress } =>
                new JobEvent(report.RunId, EventNames.JobProgressFor(report.JobId), ToEvent(progress)),
            _ => throw new JsonException($"Job report for {report.JobId} of kind {report.Kind} carries no {report.Kind.ToString().ToLowerInvariant()}."),
        };
    }

    /// <summary>The worker's heartbeat as the orchestrator's progress event: the training loss is the
    /// <c>loss</c> metric when the stage trains.</summary>
    public static Orchestration.JobProgress ToEvent(Jobs.JobProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        return new(progress.JobId, progress.Step, progress.TotalSteps,
                   progress.Metrics.TryGetValue("loss", out double loss) ? loss : null, Eta: null);
    }
}
