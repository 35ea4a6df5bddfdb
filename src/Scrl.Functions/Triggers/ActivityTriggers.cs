using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Scrl.Pipeline.Activities;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Reports;

namespace Scrl.Functions.Triggers;

/// <summary>
/// Activity triggers: each builds the Scrl.Pipeline activity of the same name from the invocation's services and
/// runs it. Failures propagate, so the orchestrator's retry policy sees them.
/// </summary>
public static class ActivityTriggers
{
    [Function(nameof(PostJobActivity))]
    public static Task<string> PostJob([ActivityTrigger] JobMessage job, string instanceId, FunctionContext function) =>
        Create<PostJobActivity>(function).RunAsync(new FunctionActivityContext(nameof(PostJobActivity), instanceId), job);

    [Function(nameof(ReadResultManifestActivity))]
    public static Task<JobOutcome?> ReadResultManifest([ActivityTrigger] string artifactPrefix, string instanceId, FunctionContext function) =>
        Create<ReadResultManifestActivity>(function).RunAsync(new FunctionActivityContext(nameof(ReadResultManifestActivity), instanceId), artifactPrefix);

    [Function(nameof(WriteCancelMarkerActivity))]
    public static Task<string> WriteCancelMarker([ActivityTrigger] CancelMarker marker, string instanceId, FunctionContext function) =>
        Create<WriteCancelMarkerActivity>(function).RunAsync(new FunctionActivityContext(nameof(WriteCancelMarkerActivity), instanceId), marker);

    [Function(nameof(WriteReportActivity))]
    public static Task<string> WriteReport([ActivityTrigger] RunReport report, string instanceId, FunctionContext function) =>
        Create<WriteReportActivity>(function).RunAsync(new FunctionActivityContext(nameof(WriteReportActivity), instanceId), report);

    [Function(nameof(WriteLeaderboardActivity))]
    public static Task<string> WriteLeaderboard([ActivityTrigger] Leaderboard board, string instanceId, FunctionContext function) =>
        Create<WriteLeaderboardActivity>(function).RunAsync(new FunctionActivityContext(nameof(WriteLeaderboardActivity), instanceId), board);

    private static T Create<T>(FunctionContext function) where T : class =>
        ActivatorUtilities.GetServiceOrCreateInstance<T>(function.InstanceServices);
}
