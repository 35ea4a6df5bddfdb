using Scrl.Pipeline.Artifacts;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;

namespace Scrl.Pipeline.Api;

/// <summary>
/// Fills a run's status with its workers' progress: for each stage in flight, the latest
/// <see cref="JobProgressSnapshot"/> of the attempt the orchestration is on, read from Blob storage. Both hosts' status
/// routes call it, so the orchestration itself never hears of a heartbeat.
/// </summary>
public static class WorkerProgress
{
    public static async Task<RunStatus> AddAsync(RunStatus status, IArtifactStore store, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(store);
        if (status.Progress is not { Stages.Count: > 0 } progress) return status;
        StageProgress[] stages = await Task.WhenAll(progress.Stages.Select(async stage =>
            await JobProgressBlob.TryReadAsync(store, ArtifactName.RunStagePrefix(status.RunId, stage.Stage), stage.Attempt, cancellationToken)
                .ConfigureAwait(false) is { } worker
                ? stage with { Step = worker.Step, TotalSteps = worker.TotalSteps, Loss = worker.Loss, ProgressAt = worker.At }
                : stage)).ConfigureAwait(false);
        return status with { Progress = progress with { Stages = stages } };
    }
}
