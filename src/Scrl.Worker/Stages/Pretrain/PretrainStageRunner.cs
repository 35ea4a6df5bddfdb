using Microsoft.Extensions.Logging;
using Scrl.Core;
using Scrl.Core.Data;
using Scrl.Core.Training;
using Scrl.Pipeline.Jobs;

namespace Scrl.Worker.Stages.Pretrain;

/// <summary>
/// Runs Scrl.Core's <see cref="PretrainJob"/> in a local folder mirrored to the job's artifact prefix:
/// resumes from the stage's latest checkpoint in the store, uploads each checkpoint as it is written, and
/// checks the job's cancel marker after each upload. On shutdown the job checkpoints, uploads and rethrows.
/// </summary>
public sealed class PretrainStageRunner(TimeSpan syncInterval, ILoggerFactory loggers) : IStageRunner
{
    private readonly ILogger _log = loggers.CreateLogger<PretrainStageRunner>();

    public StageKind Stage => StageKind.Pretrain;

    public IReadOnlyList<string> Validate(JobMessage job) => PretrainStageOptions.Parse(job.OptionsJson).Problems;

    public async Task<JobOutcome> RunAsync(StageContext context, CancellationToken stoppingToken)
    {
        JobMessage job = context.Job;
        PretrainStageOptions options = PretrainStageOptions.Parse(job.OptionsJson).Options
            ?? throw new ArgumentException($"Job '{job.JobId}' has invalid options; validate before running.", nameof(context));
        string dataRoot = options.DataSource ?? await DatasetCache.EnsureAsync(
            context.Store, options.DatasetPrefix!, Path.Combine(context.WorkDirectory, "datasets"), _log, stoppingToken).ConfigureAwait(false);

        // The store is the truth: start each attempt from an empty folder plus the store's latest checkpoint.
        string runDirectory = Path.Combine(context.WorkDirectory, "jobs", job.JobId);
        if (Directory.Exists(runDirectory)) Directory.Delete(runDirectory, recursive: true);
        var layout = new PretrainRunLayout(runDirectory);
        var sync = new RunFolderSync(context.Store, job.ArtifactPrefix, layout, _log);
        if (await sync.DownloadLatestAsync(stoppingToken).ConfigureAwait(false) is { } resumed)
            _log.LogInformation("Resuming from {Checkpoint}", resumed);

        var config = options.LoadConfig(dataRoot);
        var source = await PretrainDataSource.OpenAsync(config.Data, stoppingToken).ConfigureAwait(false);
        using var pretrain = new PretrainJob(config, source, runDirectory, Devices.Parse(options.Device),
                                             loggers.CreateLogger<PretrainJob>());
        using var cancelMarker = new CancellationTokenSource();
        using var training = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, cancelMarker.Token);
        using var stopSync = new CancellationTokenSource();
        Task syncLoop = SyncLoopAsync(context, sync, cancelMarker, stopSync.Token, stoppingToken);
        PretrainOutcome result;
        try
        {
            var progress = new Progress(job.JobId, context.Progress);
            result = await Task.Run(() => pretrain.RunAsync(progress, training.Token), CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            await stopSync.CancelAsync().ConfigureAwait(false);
            await syncLoop.ConfigureAwait(false);
        }

        // After a lost claim another worker may own the prefix: leave it alone.
        if (context.Claim.IsLost) throw new OperationCanceledException("The job's claim was lost.", stoppingToken);
        using (var grace = new CancellationTokenSource(context.ShutdownGrace))
            await sync.UploadAsync(stoppingToken.IsCancellationRequested ? grace.Token : stoppingToken).ConfigureAwait(false);
        stoppingToken.ThrowIfCancellationRequested();   // shutdown: checkpoint is up, the job runs again later

        var metrics = new Dictionary<string, double> { ["step"] = result.Step, ["loss"] = result.FinalLoss, ["skippedBatches"] = result.SkippedBatches };
        return result.Completed
            ? new JobOutcome(job.JobId, JobStatus.Succeeded, null, metrics, sync.Uploaded)
            : new JobOutcome(job.JobId, JobStatus.Cancelled, $"Cancel marker found; stopped at step {result.Step}.", metrics, sync.Uploaded);
    }

    // Checkpoints land at step boundaries; polling the local pointer uploads each one soon after it is written.
    private async Task SyncLoopAsync(StageContext context, RunFolderSync sync, CancellationTokenSource cancelMarker,
                                     CancellationToken stop, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(syncInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                if (context.Claim.IsLost || stoppingToken.IsCancellationRequested) return;
                if (!await sync.UploadAsync(stoppingToken).ConfigureAwait(false)) continue;
                if (await JobArtifacts.IsCancelRequestedAsync(context.Store, context.Job, stoppingToken).ConfigureAwait(false))
                {
                    _log.LogInformation("Cancel marker found; stopping at the next step");
                    await cancelMarker.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested || stoppingToken.IsCancellationRequested)
        {
            // training ended or the host is stopping: the final upload follows
        }
    }

    private sealed class Progress(string jobId, IProgress<JobProgress> target) : IProgress<PretrainProgress>
    {
        public void Report(PretrainProgress value) => target.Report(new JobProgress(jobId, value.Step, value.TotalSteps,
            new Dictionary<string, double> { ["loss"] = value.Loss, ["learningRate"] = value.LearningRate, ["pairsPerSecond"] = value.PairsPerSecond }));
    }
}
