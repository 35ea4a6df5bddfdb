using System.Text.Json.Serialization;

namespace Scrl.Pipeline.Jobs;

[JsonConverter(typeof(JsonStringEnumConverter<JobReportKind>))]
public enum JobReportKind { Progress, Outcome }

/// <summary>
/// What a worker posts to the outcomes queue: a progress heartbeat or the final outcome, addressed by run
/// (the orchestration instance) so the queue trigger or the emulator's pump can raise the right event.
/// </summary>
/// <param name="Progress">Set when <paramref name="Kind"/> is <see cref="JobReportKind.Progress"/>.</param>
/// <param name="Outcome">Set when <paramref name="Kind"/> is <see cref="JobReportKind.Outcome"/>.</param>
public sealed record JobReport(
    JobReportKind Kind,
    string RunId,
    string JobId,
    StageKind Stage,
    int Attempt,
    JobProgress? Progress,
    JobOutcome? Outcome);
