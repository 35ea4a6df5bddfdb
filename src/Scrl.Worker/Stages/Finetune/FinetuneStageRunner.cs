using Microsoft.Extensions.Logging;
using Scrl.Core.Configuration;
using Scrl.Core.Data.Datasets;
using Scrl.Core.Training;
using Scrl.Core.Training.Checkpoints;
using Scrl.Core.Training.Metrics;
using Scrl.Detection;
using Scrl.Detection.Evaluation;
using Scrl.Detection.Training;
using Scrl.Detection.Transform;
using Scrl.Pipeline.Jobs;
using Scrl.Pipeline.Orchestration;
using Scrl.Pipeline.Specs;
using JobProgress = Scrl.Pipeline.Jobs.JobProgress;

namespace Scrl.Worker.Stages.Finetune;

/// <summary>
/// A fine-tuning stage: Faster R-CNN from the pretrain stage's newest checkpoint, trained on the task's data in a
/// local run folder mirrored to the job's prefix (checkpoints, metrics and TensorBoard, as pretraining does), then
/// scored on the val split. A later attempt resumes from the store's latest checkpoint; on shutdown the trainer
/// checkpoints, the checkpoint is uploaded, and the job runs again.
/// </summary>
/// <remarks>Runs on the CPU whatever the worker's device: Scrl.Detection does not place tensors on a GPU yet.</remarks>
public sealed class FinetuneStageRunner(TimeSpan syncInterval, ILogger<FinetuneStageRunner> log) : IStageRunner
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

        string folder = ArtifactFiles.FreshJobFolder(context);
        var layout = new PretrainRunLayout(folder);
        var sync = new RunFolderSync(context.Store, job.ArtifactPrefix, layout, log);
        string? resumed = await sync.DownloadLatestAsync(stoppingToken).ConfigureAwait(false);
        string backbone = await PretrainedCheckpoint.DownloadAsync(context.Store, options.Pretrained, folder, stoppingToken).ConfigureAwait(false);

        var train = new DetectionDataset(DatasetReaders.Read(options.Format, options.TrainRoot, options.TrainSplit), training: true);
        log.LogInformation("{Images} training images ({Skipped} without boxes skipped), {Classes} classes{Resume}", train.Records.Count,
                           train.SkippedImages, train.NumClasses - 1, resumed is null ? "" : $"; resuming from {resumed}");
        var checkpoints = new CheckpointStore(layout.Checkpoints, keep: 2);
        (bool completed, string finalCheckpoint) = await TrainAsync(context, options, train, backbone, checkpoints, sync, stoppingToken).ConfigureAwait(false);
        if (!completed)
            return new JobOutcome(job.JobId, JobStatus.Cancelled, "Cancel marker found; stopped at a checkpoint.", new Dictionary<string, double>(), sync.Uploaded);

        var scores = await Task.Run(() => Score(options, finalCheckpoint, Path.Combine(folder, "evaluation"), stoppingToken), stoppingToken).ConfigureAwait(false);
        IReadOnlyList<string> evaluation = await ArtifactFiles.UploadFolderAsync(
            context.Store, job.ArtifactPrefix + "evaluation/", Path.Combine(folder, "evaluation"), stoppingToken).ConfigureAwait(false);
        log.LogInformation("Fine-tuned: AP {AP:F2}, AP50 {AP50:F2}, AP75 {AP75:F2}", scores.AP, scores.AP50, scores.AP75);
        var metrics = new Dictionary<string, double> { ["AP"] = scores.AP, ["AP50"] = scores.AP50, ["AP75"] = scores.AP75, ["steps"] = options.Training.MaxSteps };
        return new JobOutcome(job.JobId, JobStatus.Succeeded, null, metrics, [.. sync.Uploaded, .. evaluation]);
    }

    /// <returns>Whether training reached its last step (false: the cancel marker stopped it), and the final checkpoint.</returns>
    private async Task<(bool Completed, string FinalCheckpoint)> TrainAsync(
        StageContext context, FinetuneStageOptions options, DetectionDataset train, string backbone, CheckpointStore checkpoints,
        RunFolderSync sync, CancellationToken stoppingToken)
    {
        using var model = FinetuneModel.Create(train.NumClasses, FinetuneModel.VariantOf(backbone, Core.Models.ResNetVariant.ResNet50), pretrained: true, options.Training);
        var trainer = new DetectionTrainer(model, train, options.Training);
        long start = 0;
        using (LoadedCheckpoint? latest = checkpoints.LoadLatest())
        {
            if (latest is not null) start = trainer.Restore(latest);
            else FinetuneModel.LoadBackbone(model, backbone);
        }
        var layout = new PretrainRunLayout(Path.GetDirectoryName(checkpoints.Directory)!);
        using var metrics = new CompositeMetricSink([
            new JsonlMetricSink(layout.Metrics, resumeStep: start),
            new TensorBoardEventSink(layout.TensorBoard, purgeStep: start)]);

        bool completed = true;
        await using (var uploads = CheckpointUploadLoop.Start(context, sync, syncInterval, log, stoppingToken))
        {
            using var training = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, uploads.CancelRequested);
            var progress = new StepProgress(context.Job.JobId, options.Training.MaxSteps, context.Progress);
            try
            {
                await Task.Run(() => trainer.Run(start, checkpoints, metrics, progress, training.Token), CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (training.IsCancellationRequested)
            {
                completed = false;   // the trainer checkpointed first; shutdown rethrows below, a cancel marker ends the stage
            }
            await uploads.FinishAsync(stoppingToken).ConfigureAwait(false);
        }
        string final = Path.Combine(checkpoints.Directory, (await File.ReadAllTextAsync(Path.Combine(checkpoints.Directory, "latest"), stoppingToken).ConfigureAwait(false)).Trim() + ".ckpt");
        return (completed, final);
    }

    private static DetectionScores Score(FinetuneStageOptions options, string checkpoint, string output, CancellationToken cancellationToken)
    {
        var dataset = DatasetReaders.Read(options.Format, options.ValRoot, options.ValSplit);
        var val = new DetectionDataset(dataset, training: false);
        using var model = FasterRcnnCheckpoint.Load(checkpoint, new TransformOptions { MinSize = [options.Training.TestMinSize], MaxSize = options.Training.MaxSize });
        var detections = DetectionPredictor.Predict(model, val, EvaluationBatch, cancellationToken);
        Directory.CreateDirectory(output);
        CocoResultsJson.Save(Path.Combine(output, "detections.json"), detections);
        DetectionScores scores = DetectionScoring.Score(options.Format, options.ValRoot, options.ValSplit, dataset, detections);
        File.WriteAllText(Path.Combine(output, "summary.txt"), scores.Summary);
        return scores;
    }

    private sealed class StepProgress(string jobId, long total, IProgress<JobProgress> target) : IProgress<DetectionStepResult>
    {
        public void Report(DetectionStepResult value) => target.Report(new JobProgress(jobId, value.Step + 1, total,
            new Dictionary<string, double> { ["loss"] = value.Losses["loss"], ["learningRate"] = value.LearningRate }));
    }
}
