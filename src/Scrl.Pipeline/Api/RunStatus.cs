using Scrl.Pipeline.Orchestration;

namespace Scrl.Pipeline.Api;

/// <summary>What <c>GET /api/runs/{id}</c> answers (Functions app and <c>scrl emulate</c> alike): the orchestration's state, the live progress while it runs,
/// and the report once it ended.</summary>
/// <param name="RuntimeStatus">Durable's status: Pending, Running, Completed, Failed, Terminated, ...</param>
/// <param name="Progress">The orchestration's custom status; null before the first stage starts.</param>
/// <param name="Report">The run report of a completed run; null otherwise.</param>
/// <param name="Failure">Why the orchestration failed; null unless it did.</param>
public sealed record RunStatus(
    string RunId,
    string RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    RunProgress? Progress,
    RunReport? Report,
    string? Failure);
