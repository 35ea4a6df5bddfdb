using Scrl.Core.Training;
using Scrl.Core.Training.Checkpoints;
using Scrl.Core.Training.Metrics;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Detection.Training;

/// <summary>One optimizer step's outcome (host values only).</summary>
public sealed record DetectionStepResult(long Step, double LearningRate, IReadOnlyDictionary<string, double> Losses, double Seconds);

/// <summary>
/// Fine-tunes a <see cref="Detector"/> of any kind: SGD with momentum or AdamW, optional gradient clipping, warmup +
/// step schedule, gradient accumulation up to <see cref="FinetuneOptions.ImagesPerStep"/>, checkpoints with the
/// optimizer state and exact resume.
/// </summary>
/// <remarks>
/// The optimizers are written out (<see cref="ParameterUpdate"/>) so that their state is plain tensors that go into
/// the checkpoint. Every random draw (batch order, flips, crops, min-size choice, samplers) derives from (seed, step),
/// so a resumed run repeats the draws an uninterrupted run would make.
/// </remarks>
public sealed class DetectionTrainer
{
    private readonly Detector _model;
    private readonly DetectionDataset _data;
    private readonly FinetuneOptions _options;
    private readonly AspectRatioGroupedBatches _batches;
    private readonly List<(string Name, Tensor Parameter)> _trainable;
    private readonly ParameterUpdate _update;

    public DetectionTrainer(Detector model, DetectionDataset data, FinetuneOptions options)
    {
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException(string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")), nameof(options));
        if (options.RandomCrop && data.Extras != TargetExtras.None)
            throw new ArgumentException($"randomCrop cuts boxes only, but this detector also trains on {data.Extras.ToString().ToLowerInvariant()}", nameof(options));
        if (data.Records.Count == 0)
            throw new ArgumentException($"nothing to train on: all {data.SkippedImages} images lack a non-crowd box of positive area", nameof(data));
        _model = model;
        _data = data;
        _options = options;
        _batches = new AspectRatioGroupedBatches(data.Records.Select(r => r.Width >= r.Height).ToList(), options.ImagesPerDevice, options.Seed);
        _trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, (Tensor)p.parameter)).ToList();
        _update = ParameterUpdate.For(options.Optimizer, _trainable, options);
    }

    /// <summary>
    /// Runs steps [<paramref name="startStep"/>, MaxSteps), checkpointing every CheckpointPeriod steps and at the end.
    /// Cancellation stops at the next step boundary and checkpoints the steps done since the last save before it throws,
    /// so a stopped run resumes where it stopped.
    /// </summary>
    public void Run(long startStep, CheckpointStore? checkpoints, IMetricSink? metrics, IProgress<DetectionStepResult>? progress, CancellationToken cancellationToken)
    {
        _model.train();
        (long Step, IReadOnlyDictionary<string, double> Losses)? unsaved = null;
        for (long step = startStep; step < _options.MaxSteps; step++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                if (checkpoints is not null && unsaved is { } pending) checkpoints.Save(CheckpointTensors(), Meta(pending.Step, pending.Losses));
                metrics?.Flush();
                cancellationToken.ThrowIfCancellationRequested();
            }
            var result = Step(step);
            metrics?.Write(step, new Dictionary<string, double>(result.Losses) { ["lr"] = result.LearningRate, ["time"] = result.Seconds });
            progress?.Report(result);
            unsaved = (step + 1, result.Losses);
            bool last = step + 1 == _options.MaxSteps;
            if (checkpoints is not null && ((step + 1) % _options.CheckpointPeriod == 0 || last))
            {
                checkpoints.Save(CheckpointTensors(), Meta(step + 1, result.Losses));
                unsaved = null;
            }
        }
        metrics?.Flush();
    }

    /// <summary>One optimizer step over <see cref="FinetuneOptions.AccumulationSteps"/> forward/backward passes.</summary>
    public DetectionStepResult Step(long step)
    {
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        int accumulation = _options.AccumulationSteps;
        var sums = new Dictionary<string, double>();
        foreach (var (_, p) in _trainable) p.grad = null;
        for (int micro = 0; micro < accumulation; micro++)
        {
            using var scope = NewDisposeScope();
            long draw = step * accumulation + micro;                                       // global micro-batch index
            var generator = new Generator((ulong)(_options.Seed * 1_000_003 + draw), CPU);
            var (images, targets) = LoadBatch(draw, generator);
            var losses = _model.Losses(images, targets, generator);
            (losses.Total() / accumulation).backward();
            foreach (var (k, v) in losses.ToHost()) sums[k] = sums.GetValueOrDefault(k) + v / accumulation;
        }
        double lr = _options.LearningRate * _options.LearningRateFactor(step);
        if (_options.GradientClipNorm > 0) _update.ClipGradients(_options.GradientClipNorm);
        _update.Apply(lr, step);
        sums["loss"] = sums.Values.Sum();
        return new DetectionStepResult(step, lr, sums, System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>Model state plus the optimizer's, for <see cref="CheckpointStore.Save"/>.</summary>
    public IReadOnlyDictionary<string, Tensor> CheckpointTensors()
    {
        var tensors = new Dictionary<string, Tensor>(_model.state_dict());
        foreach (var (key, buffer) in _update.State) tensors[key] = buffer;
        return tensors;
    }

    /// <summary>Restores model and optimizer state from a checkpoint written by <see cref="CheckpointTensors"/>; returns the step to continue from.</summary>
    /// <exception cref="DetectorMismatchException">The checkpoint holds another kind of detector.</exception>
    /// <exception cref="RunFolderConflictException">The checkpoint was trained with other options.</exception>
    public long Restore(LoadedCheckpoint checkpoint)
    {
        DetectorCheckpoint.KindOf(checkpoint, _model.Kind);
        RunFolderConflictException.ThrowIfOtherConfig(checkpoint, ConfigHash());
        Scrl.Core.Interop.BackboneLoad.Into(_model, DetectorCheckpoint.ModelWeights(checkpoint.Tensors));
        _update.Restore(checkpoint.Tensors, checkpoint.Path);
        return checkpoint.Meta.Step;
    }

    private (List<Tensor> Images, List<DetectionTarget> Targets) LoadBatch(long draw, Generator generator)
    {
        int perEpoch = _batches.Epoch(0).Count;
        int epoch = (int)(draw / perEpoch);
        var batch = _batches.Epoch(epoch)[(int)(draw % perEpoch)];
        var images = new List<Tensor>(batch.Length);
        var targets = new List<DetectionTarget>(batch.Length);
        foreach (int index in batch)
        {
            bool flip = rand(1, generator: generator).item<float>() < _options.HorizontalFlipProbability;
            var (image, target) = _data.Load(index, flip);
            if (_options.RandomCrop && rand(1, generator: generator).item<float>() < 0.5f)
                (image, target) = CropAugmentation.Apply(image, target, generator);
            images.Add(image);
            targets.Add(target);
        }
        return (images, targets);
    }

    /// <summary>The metadata of this trainer's checkpoint at <paramref name="step"/>.</summary>
    internal CheckpointMeta Meta(long step, IReadOnlyDictionary<string, double> losses) => new()
    {
        Step = step,
        Epoch = 0,
        BatchInEpoch = 0,
        Method = DetectorKinds.NameOf(_model.Kind),
        Backbone = "resnet-fpn",
        ConfigHash = ConfigHash(),
        CreatedUtc = DateTimeOffset.UtcNow,
        Metrics = losses,
    };

    // A checkpoint resumes only the options that shape its training; the run's length and checkpoint cadence may change.
    private string ConfigHash() => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(_options with { MaxSteps = 0, CheckpointPeriod = 0 })));
}
