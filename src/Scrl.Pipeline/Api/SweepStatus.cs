using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Reports;

namespace Scrl.Pipeline.Api;

/// <summary>What <c>GET /api/sweeps/{id}</c> answers (Functions app and <c>scrl emulate</c> alike): the orchestration's state, how many runs finished, and the
/// leaderboard once the sweep ended. Each run's own status is at <c>/api/runs/{sweepId}-{i:000}</c>.</summary>
public sealed record SweepStatus(
    string SweepId,
    string RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    SweepProgress? Progress,
    Leaderboard? Leaderboard,
    string? Failure);
