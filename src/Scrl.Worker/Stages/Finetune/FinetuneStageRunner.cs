using Microsoft.Extensions.Logging;
using Scrl.Core;
using Scrl.Core.Training;
using Scrl.Detection.Training;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;
using JobProgress = Scrl.Pipeline.Jobs.JobProgress;

namespace Scrl.Worker.Stages.Finetune;

/// <summary>
/// A fine-tuning stage: the <see cref="FinetuneJob"/> the CLI runs, from the pretrain stage's newest checkpoint, in a
/// local run folder mirrored to the job's prefix (checkpoints, metrics and TensorBoard, as pretraining does), then
/// scored on the val split. A later attempt resumes from the store's latest checkpoint; on shutdown the job
/// checkpoints, the checkpoint is uploaded, and the job runs again.
/// </summary>
/// <param name="device">The worker's device (cpu or cuda[:n]); the detector trains and predicts there.</param>
public sealed class FinetuneStageRunner(string device, TimeSpan syncInterval, ILogger<FinetuneStageRunner> log) : IStageRunner
{
    private const int EvaluationBatch = 2;

    public StageKind Stage => StageKind.Finetune;

    public IReadOnlyList<string> Validate(JobMessage job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return FinetuneStageOptions.Parse(job.OptionsJson).Problems;
    }

    public async Task<JobOutcome> RunAsync(StageContext context, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        JobMessage job = context.Job;
        FinetuneStageOptions options = FinetuneStageOptions.Parse(job.OptionsJson).Options
            ?? throw new ArgumentException($"Job '{job.JobId}' has invalid options; validate before running.", nameof(context));

        // The run folder holds what `scrl finetune -o` would; the downloaded backbone stays beside it.
        string folder = ArtifactFiles.FreshJobFolder(context);
        var layout = new RunLayout(Path.Combine(folder, "run"));
        var sync = new RunFolderSync(context.Store, job.ArtifactPrefix, layout, log);
        string? resumed = await sync.DownloadLatestAsync(stoppingToken).ConfigureAwait(false);
        string backbone = await PretrainedCheckpoint.DownloadAsync(context.Store, options.Pretrained, Directory.CreateDirectory(Path.Combine(folder, "inputs")).FullName,
                                                                   stoppingToken).ConfigureAwait(false);
        if (resumed is not null) log.LogInformation("Resuming from {Checkpoint}", resumed);

        using var finetune = new FinetuneJob(options.Spec with { Backbone = backbone }, layout.Root, Devices.Parse(device), log);
        bool completed = await TrainAsync(context, finetune, sync, stoppingToken).ConfigureAwait(false);
        if (!completed)
            return new JobOutcome(job.JobId, JobStatus.Cancelled, "Cancel marker found; stopped at a checkpoint.", new Dictionary<string, double>(), sync.Uploaded);

        var scored = await Task.Run(() => finetune.Evaluate(EvaluationBatch, stoppingToken), stoppingToken).ConfigureAwait(false);
        IReadOnlyList<string> evaluation = [
            .. await ArtifactFiles.UploadFolderAsync(context.Store, job.ArtifactPrefix + "evaluation/", layout.Evaluation, stoppingToken).ConfigureAwait(false),
            .. await ArtifactFiles.UploadFolderAsync(context.Store, job.ArtifactPrefix + "report/", layout.Report, stoppingToken).ConfigureAwait(false),
            await ArtifactFiles.UploadFileAsync(context.Store, job.ArtifactPrefix + "summary.json", layout.Summary, stoppingToken).ConfigureAwait(false)];
        var scores = scored.Scores!;
        var metrics = new Dictionary<string, double>(scores.Metrics) { ["AP"] = scores.AP, ["AP50"] = scores.AP50, ["AP75"] = scores.AP75, ["steps"] = finetune.TotalSteps };
        return new JobOutcome(job.JobId, JobStatus.Succeeded, null, metrics, [.. sync.Uploaded, .. evaluation]);
    }

    /// <returns>Whether training reached its last step (false: the cancel marker stopped it at a checkpoint).</returns>
    private async Task<bool> TrainAsync(StageContext context, FinetuneJob finetune, RunFolderSync sync, CancellationToken stoppingToken)
    {
        bool completed = true;
        await using (var uploads = CheckpointUploadLoop.Start(context, sync, syncInterval, log, stoppingToken))
        {
            using var training = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, uploads.CancelRequested);
            var progress = new StepProgress(context.Job.JobId, finetune.TotalSteps, context.Progress);
            try
            {
                await Task.Run(() => finetune.Train(progress, training.Token), CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (training.IsCancellationRequested)
            {
                completed = false;   // the job checkpointed first; shutdown rethrows below, a cancel marker ends the stage
            }
            await uploads.FinishAsync(stoppingToken).ConfigureAwait(false);
        }
        return completed;
    }

    private sealed class StepProgress(string jobId, long total, IProgress<JobProgress> target) : IProgress<DetectionStepResult>
    {
        public void Report(DetectionStepResult value) => target.Report(new JobProgress(jobId, value.Step + 1, total,
            new Dictionary<string, double> { ["loss"] = value.Losses["loss"], ["learningRate"] = value.LearningRate }));
    }
}
