using Microsoft.DurableTask.Client;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Reports;

namespace Scrl.Functions.Api;

/// <summary>What <c>GET /api/sweeps/{id}</c> answers: the orchestration's state, how many runs finished, and the
/// leaderboard once the sweep ended. Each run's own status is at <c>/api/runs/{sweepId}-{i:000}</c>.</summary>
public sealed record SweepStatus(
    string SweepId,
    string RuntimeStatus,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    SweepProgress? Progress,
    Leaderboard? Leaderboard,
    string? Failure)
{
    public static SweepStatus From(OrchestrationMetadata instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new SweepStatus(
            instance.InstanceId,
            instance.RuntimeStatus.ToString(),
            instance.CreatedAt,
            instance.LastUpdatedAt,
            instance.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<SweepProgress>(),
            instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? instance.ReadOutputAs<Leaderboard>() : null,
            instance.FailureDetails?.ErrorMessage);
    }
}
