using Microsoft.DurableTask.Client;
using Scrl.Pipeline.Api;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Reports;

namespace Scrl.Functions.Api;

/// <summary>Durable Functions' instance metadata as the API's status bodies.</summary>
internal static class StatusMapping
{
    public static RunStatus ToRunStatus(OrchestrationMetadata instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new RunStatus(
            instance.InstanceId,
            instance.RuntimeStatus.ToString(),
            instance.CreatedAt,
            instance.LastUpdatedAt,
            instance.SerializedCustomStatus is null ? null : instance.ReadCustomStatusAs<RunProgress>(),
            instance.RuntimeStatus == OrchestrationRuntimeStatus.Completed ? instance.ReadOutputAs<RunReport>() : null,
            instance.FailureDetails?.ErrorMessage);
    }

    public static SweepStatus ToSweepStatus(OrchestrationMetadata instance)
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
