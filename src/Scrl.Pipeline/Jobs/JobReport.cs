namespace Scrl.Pipeline.Jobs;

/// <summary>
/// What a worker posts to the outcomes queue when an attempt ends, addressed by run (the orchestration instance) so the
/// queue trigger or the emulator's pump can raise the right event. Only state changes travel this way: progress goes
/// to <see cref="JobProgressBlob"/>, so heartbeats never reach the orchestration.
/// </summary>
public sealed record JobReport(
    string RunId,
    string JobId,
    StageKind Stage,
    int Attempt,
    JobOutcome Outcome);
