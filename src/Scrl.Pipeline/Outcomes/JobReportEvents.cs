using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;

namespace Scrl.Pipeline.Outcomes;

/// <summary>An orchestration event to raise: on instance <paramref name="InstanceId"/> (the run id), named
/// <paramref name="Name"/>, with <paramref name="Payload"/>.</summary>
public sealed record JobEvent(string InstanceId, string Name, object Payload);

/// <summary>
/// Turns a worker's <see cref="JobReport"/> into the run orchestration's per-job event
/// (<see cref="EventNames.JobCompletedFor"/>). The one mapping behind every return path: the Functions queue trigger and
/// the emulator's outcomes pump.
/// </summary>
public static class JobReportEvents
{
    public static JobEvent From(JobReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new JobEvent(report.RunId, EventNames.JobCompletedFor(report.JobId), report.Outcome);
    }
}
