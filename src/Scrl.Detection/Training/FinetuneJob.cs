using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Scrl.Core.IO;
using Scrl.Core.Reporting;
using Scrl.Core.Training;
using Scrl.Core.Training.Checkpoints;
using Scrl.Core.Training.Metrics;
using Scrl.Detection.Evaluation;
using Scrl.Detection.Transform;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Detection.Training;

/// <summary>
/// A whole fine-tuning run, the same from the CLI and a worker: builds the detector, restores the pretrained
/// backbone (or resumes the run folder's latest checkpoint), trains with checkpoints, metrics and a report, and
/// scores the final checkpoint on the val split.
/// </summary>
/// <remarks>
/// Run folder (<see cref="RunLayout"/>): config.json, checkpoints/, metrics.jsonl, tensorboard/, report/,
/// evaluation/ (detections.json, summary.txt) and summary.json. Cancellation checkpoints first and then throws,
/// so the same job started again resumes where it stopped.
/// </remarks>
public sealed class FinetuneJob : IDisposable
{
    private const int KeepCheckpoints = 3;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly FinetuneSpec _spec;
    private readonly Device _device;
    private readonly ILogger _log;
    private readonly Detector _model;
    private readonly DetectionTrainer _trainer;
    private readonly CheckpointStore _checkpoints;
    private FinetuneOutcome? _outcome;

    /// <param name="device">Where the detector trains and predicts; null is the CPU.</param>
    /// <exception cref="ArgumentException">Invalid training options, a detector the task does not fit, or no image with a usable box.</exception>
    /// <exception cref="InvalidDataException">The training data lacks the masks or keypoints the detector trains on.</exception>
    public FinetuneJob(FinetuneSpec spec, string runDirectory, Device? device = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        _device = device ?? CPU;
        _log = logger ?? NullLogger.Instance;
        Layout = new RunLayout(runDirectory);
        FinetuneTasks.DetectorFor(spec.Task, spec.Detector);   // refuses a detector the task cannot score, before reading data
        TrainData = new DetectionDataset(spec.Train.Read(), training: true, DetectorKinds.ExtrasOf(spec.Detector));
        random.manual_seed(spec.Training.Seed);   // the heads' (and a random body's) initial weights: one seed, one run
        _model = FinetuneModel.Create(spec.Detector, TrainData.NumClasses, spec.Backbone, spec.Training);
        _model.to(_device);
        _trainer = new DetectionTrainer(_model, TrainData, spec.Training);
        _checkpoints = new CheckpointStore(Layout.Checkpoints, KeepCheckpoints);
    }

    public RunLayout Layout { get; }

    public DetectionDataset TrainData { get; }

    public long TotalSteps => _spec.Training.MaxSteps;

    /// <summary>Trains from the latest checkpoint (else from the backbone) to the last step; returns where it ended.</summary>
    /// <exception cref="OperationCanceledException">Cancelled, after checkpointing the steps done.</exception>
    /// <exception cref="DetectorMismatchException">The run folder holds another detector's checkpoints.</exception>
    /// <exception cref="RunFolderConflictException">The run folder was trained with other options.</exception>
    public FinetuneOutcome Train(IProgress<DetectionStepResult>? progress = null, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Layout.Root);
        long start = Resume();
        AtomicFile.WriteAllBytes(Layout.Config, JsonSerializer.SerializeToUtf8Bytes(
            new { Detector = DetectorKinds.NameOf(_spec.Detector), Task = FinetuneTasks.NameOf(_spec.Task), _spec.Train, _spec.Val, _spec.Backbone, _spec.Training }, Json));
        _log.LogInformation("Fine-tuning {Detector} on {Task}: {Images} images ({Skipped} without boxes skipped), {Classes} classes, step {Step} of {Total}",
                            DetectorKinds.NameOf(_spec.Detector), FinetuneTasks.NameOf(_spec.Task), TrainData.Records.Count, TrainData.SkippedImages,
                            TrainData.NumClasses - 1, start, TotalSteps);
        using (var metrics = new CompositeMetricSink([
                   new JsonlMetricSink(Layout.Metrics, resumeStep: start),
                   new TensorBoardEventSink(Layout.TensorBoard, purgeStep: start)]))
        {
            _trainer.Run(start, _checkpoints, metrics, progress, cancellationToken);
        }
        RunReport.Write(Layout);
        _outcome = new FinetuneOutcome(DetectorKinds.NameOf(_spec.Detector), start, TotalSteps, FinalCheckpoint);
        WriteSummary(_outcome);
        return _outcome;
    }

    /// <summary>Scores the final checkpoint on <see cref="FinetuneSpec.Val"/> with the task's protocol (<see cref="TaskEvaluation"/>) into
    /// evaluation/ (detections.json in COCO results form, summary.txt) and summary.json.</summary>
    /// <param name="batchSize">Images per forward pass.</param>
    public FinetuneOutcome Evaluate(int batchSize = 2, CancellationToken cancellationToken = default)
    {
        var val = _spec.Val ?? throw new InvalidOperationException("This run has no val split to score on.");
        string checkpoint = FinalCheckpoint;
        if (!File.Exists(checkpoint)) throw new FileNotFoundException("Train before evaluating: the final checkpoint does not exist.", checkpoint);
        var transform = new TransformOptions { MinSize = [_spec.Training.TestMinSize], MaxSize = _spec.Training.MaxSize };
        using var model = DetectorCheckpoint.Load(checkpoint, transform, _spec.Detector, _device);
        var (scores, detections) = TaskEvaluation.Run(_spec.Task, val, val.Read(), model, batchSize, cancellationToken);
        Directory.CreateDirectory(Layout.Evaluation);
        CocoResultsJson.Save(Path.Combine(Layout.Evaluation, "detections.json"), detections);
        AtomicFile.WriteAllBytes(Path.Combine(Layout.Evaluation, "summary.txt"), System.Text.Encoding.UTF8.GetBytes(scores.Summary));
        _log.LogInformation("{Detector} scored on {Split}: AP {AP:F2}, AP50 {AP50:F2}, AP75 {AP75:F2}",
                            DetectorKinds.NameOf(_spec.Detector), val.Split, scores.AP, scores.AP50, scores.AP75);
        _outcome = (_outcome ?? new FinetuneOutcome(DetectorKinds.NameOf(_spec.Detector), TotalSteps, TotalSteps, checkpoint)) with { Scores = scores };
        WriteSummary(_outcome);
        return _outcome;
    }

    /// <summary>The checkpoint of the last step.</summary>
    public string FinalCheckpoint => Path.Combine(Layout.Checkpoints, CheckpointStore.NameOf(TotalSteps) + ".ckpt");

    public void Dispose() => _model.Dispose();

    /// <returns>The step to continue from: the latest checkpoint's, or 0 with the model as built.</returns>
    private long Resume()
    {
        using var latest = _checkpoints.LoadLatest();
        if (latest is null) return 0;
        long step = _trainer.Restore(latest);
        _log.LogInformation("Resumed from {Checkpoint} at step {Step}", latest.Path, step);
        return step;
    }

    private void WriteSummary(FinetuneOutcome outcome) => AtomicFile.WriteAllBytes(Layout.Summary, JsonSerializer.SerializeToUtf8Bytes(outcome, Json));
}
