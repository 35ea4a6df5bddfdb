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
public sealed class PretrainStageRunner(string device, TimeSpan syncInterval, ILoggerFactory loggers) : IStageRunner
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
        string runDirectory = ArtifactFiles.FreshJobFolder(context);
        var layout = new RunLayout(runDirectory);
        var sync = new RunFolderSync(context.Store, job.ArtifactPrefix, layout, _log);
        if (await sync.DownloadLatestAsync(stoppingToken).ConfigureAwait(false) is { } resumed)
            _log.LogInformation("Resuming from {Checkpoint}", resumed);

        var config = options.LoadConfig(dataRoot);
        var source = await PretrainDataSource.OpenAsync(config.Data, stoppingToken).ConfigureAwait(false);
        using var pretrain = new PretrainJob(config, source, runDirectory, Devices.Parse(options.Device ?? device),
                                             loggers.CreateLogger<PretrainJob>());
        PretrainOutcome result;
        await using (var uploads = CheckpointUploadLoop.Start(context, sync, syncInterval, _log, stoppingToken))
        {
            using var training = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, uploads.CancelRequested);
            var progress = new Progress(job.JobId, context.Progress);
            result = await Task.Run(() => pretrain.RunAsync(progress, training.Token), CancellationToken.None).ConfigureAwait(false);
            await uploads.FinishAsync(stoppingToken).ConfigureAwait(false);
        }

        var metrics = new Dictionary<string, double> { ["step"] = result.Step, ["skippedBatches"] = result.SkippedBatches };
        if (result.FinalLoss is { } loss) metrics["loss"] = loss;
        return result.Completed
            ? new JobOutcome(job.JobId, JobStatus.Succeeded, null, metrics, sync.Uploaded)
            : new JobOutcome(job.JobId, JobStatus.Cancelled, $"Cancel marker found; stopped at step {result.Step}.", metrics, sync.Uploaded);
    }

    private sealed class Progress(string jobId, IProgress<JobProgress> target) : IProgress<PretrainProgress>
    {
        public void Report(PretrainProgress value) => target.Report(new JobProgress(jobId, value.Step, value.TotalSteps,
            new Dictionary<string, double> { ["loss"] = value.Loss, ["learningRate"] = value.LearningRate, ["pairsPerSecond"] = value.PairsPerSecond }));
    }
}
