using System.Diagnostics;
using Scrl.Core.Configuration;
using Scrl.Core.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Scrl.Core.Evaluation;

/// <summary>Which phase an evaluation is in, and how far (0..1).</summary>
public sealed record RoiEvalProgress(string Phase, double Fraction);

/// <summary>
/// Runs the RoI linear protocol on a frozen backbone: trains a <see cref="RoiLinearHead"/> on the train split's
/// RoIs and scores the val split's. C5: backbone in eval mode, features extracted once (and cached on disk when
/// <see cref="RoiEvalOptions.CacheDirectory"/> is set), then epochs over the cached features; the Image variant (the
/// image-level linear protocol) works the same way on globally pooled features. FPN (appendix B):
/// each head step forwards the backbone in train mode, so its BatchNorms use batch statistics and update their
/// running statistics; val features then use those running statistics. The backbone's weights never change, and
/// its train/eval mode is restored afterwards.
/// </summary>
public sealed class RoiEvaluator
{
    private readonly RoiEvalOptions _options;

    public RoiEvaluator(RoiEvalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ConfigException(errors);
        _options = options;
    }

    /// <param name="backbone">The frozen trunk; its running statistics change in the FPN variant only.</param>
    /// <param name="name">Shown in the report: a path, <c>random</c>, <c>online@step</c>.</param>
    /// <param name="cacheIdentity">Identifies the weights for the on-disk cache; null disables it.</param>
    public RoiEvalReport Run(ResNetBackbone backbone, string name, string? cacheIdentity, RoiSplit train, RoiSplit val,
                             CategoryMap categories, IProgress<RoiEvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(val);
        ArgumentNullException.ThrowIfNull(categories);
        if (train.RoiCount < 2) throw new ArgumentException($"the train split has {train.RoiCount} usable RoIs; the head needs at least 2", nameof(train));
        if (val.RoiCount < 1) throw new ArgumentException("the val split has no usable RoI", nameof(val));

        bool wasTraining = backbone.training;
        var device = backbone.parameters().First().device;
        var extractor = new RoiFeatureExtractor(backbone, _options);
        using var head = new RoiLinearHead(extractor.FeatureSize, categories.Count);
        head.to(device);
        var extractClock = new Stopwatch();
        var headClock = new Stopwatch();
        bool trainCached = false;
        double loss;
        RoiFeatureSet valSet;
        try
        {
            if (_options.Variant != RoiEvalVariant.Fpn)
            {
                backbone.eval();
                RoiFeatureSet trainSet;
                using (Timed(extractClock))
                    (trainSet, trainCached) = CachedOrExtracted(extractor, train, cacheIdentity, "extract train", progress, cancellationToken);
                using (trainSet)
                using (Timed(headClock))
                using (var trainer = new RoiHeadTrainer(head, _options, RoiHeadTrainer.StepsFor(trainSet.Count, _options)))
                    loss = trainer.TrainOnFeatures(trainSet, Relay(progress, "train head"), cancellationToken);
            }
            else
            {
                using (Timed(headClock))
                    loss = TrainWithBatchStatistics(backbone, extractor, head, train, progress, cancellationToken);
            }
            backbone.eval();
            using (Timed(extractClock))
                (valSet, _) = CachedOrExtracted(extractor, val, _options.Variant != RoiEvalVariant.Fpn ? cacheIdentity : null,
                                                "extract val", progress, cancellationToken);
        }
        finally
        {
            backbone.train(wasTraining);
        }

        RoiEvalScores scores;
        using (valSet)
        using (var predictions = RoiHeadTrainer.Predict(head, valSet.Features))
        {
            scores = RoiEvalScoring.Score(predictions.data<long>().ToArray(), valSet.Labels.data<long>().ToArray(),
                                          valSet.Sizes.data<long>().ToArray().Select(s => (BoxSizeBucket)s).ToArray(), categories);
        }
        return new RoiEvalReport
        {
            Backbone = name,
            Architecture = backbone.Variant,
            Variant = _options.Variant,
            Scores = scores,
            Counts = new RoiCounts(train.RoiCount, val.RoiCount, train.CrowdExcluded, val.CrowdExcluded,
                                   train.DegenerateSkipped, val.DegenerateSkipped),
            FinalTrainLoss = loss,
            ExtractSeconds = extractClock.Elapsed.TotalSeconds,
            HeadSeconds = headClock.Elapsed.TotalSeconds,
            TrainFeaturesFromCache = trainCached,
            Options = _options,
        };
    }

    /// <summary>Features of every RoI of <paramref name="split"/>, one image batch (and dispose scope) at a time.</summary>
    public RoiFeatureSet Extract(RoiFeatureExtractor extractor, RoiSplit split, IProgress<double>? progress = null,
                                 CancellationToken cancellationToken = default)
    {
        var parts = new List<RoiFeatureSet>();
        var batches = split.Images.Chunk(_options.ImageBatch).ToList();
        for (int b = 0; b < batches.Count; b++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var batch = RoiImageBatch.Load(batches[b], _options);
            var features = extractor.Extract(batch.Images, batch.Rois).cpu();                // [R_b, D]
            parts.Add(new RoiFeatureSet(features.DetachFromDisposeScope(), batch.Labels.DetachFromDisposeScope(),
                                        batch.Sizes.DetachFromDisposeScope()));
            progress?.Report((b + 1.0) / batches.Count);
        }
        return RoiFeatureSet.Concat(parts);
    }

    private (RoiFeatureSet Set, bool FromCache) CachedOrExtracted(RoiFeatureExtractor extractor, RoiSplit split, string? identity,
                                                                  string phase, IProgress<RoiEvalProgress>? progress, CancellationToken ct)
    {
        string? path = identity is not null && _options.CacheDirectory.Length > 0
            ? RoiFeatureCache.PathFor(_options.CacheDirectory, identity, split, _options)
            : null;
        if (path is not null && File.Exists(path)) return (RoiFeatureSet.Load(path), true);
        var set = Extract(extractor, split, Relay(progress, phase), ct);
        if (path is not null) set.Save(path);
        return (set, false);
    }

    /// <summary>FPN variant: one head step per image batch, backbone BatchNorms on batch statistics.</summary>
    private double TrainWithBatchStatistics(ResNetBackbone backbone, RoiFeatureExtractor extractor, RoiLinearHead head,
                                            RoiSplit train, IProgress<RoiEvalProgress>? progress, CancellationToken ct)
    {
        var device = backbone.parameters().First().device;
        int batchesPerEpoch = (train.Images.Count + _options.ImageBatch - 1) / _options.ImageBatch;
        using var trainer = new RoiHeadTrainer(head, _options, (long)_options.Epochs * batchesPerEpoch);
        long step = 0;
        double lastEpochLoss = 0;
        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            var order = Data.Loading.EpochPermutation.Create(_options.Seed, epoch, train.Images.Count);
            double sum = 0;
            int steps = 0;
            foreach (var indices in order.Chunk(_options.ImageBatch))
            {
                ct.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var batch = RoiImageBatch.Load([.. indices.Select(i => train.Images[i])], _options);
                if (batch.Labels.shape[0] < 2) { step++; continue; }                 // BatchNorm needs two RoIs
                backbone.train();
                var features = extractor.Extract(batch.Images, batch.Rois);          // [R_b, D], batch statistics
                sum += trainer.Step(features, batch.Labels.to(device), step++);
                steps++;
            }
            lastEpochLoss = steps > 0 ? sum / steps : double.NaN;
            progress?.Report(new RoiEvalProgress("train head (fpn)", (epoch + 1.0) / _options.Epochs));
        }
        return lastEpochLoss;
    }

    private static IProgress<double>? Relay(IProgress<RoiEvalProgress>? progress, string phase) =>
        progress is null ? null : new PhaseProgress(progress, phase);

    private static IDisposable Timed(Stopwatch clock)
    {
        clock.Start();
        return new StopOnDispose(clock);
    }

    // Synchronous, unlike Progress<T>, which posts to the thread pool and can reorder reports.
    private sealed class PhaseProgress(IProgress<RoiEvalProgress> inner, string phase) : IProgress<double>
    {
        public void Report(double value) => inner.Report(new RoiEvalProgress(phase, value));
    }

    private sealed class StopOnDispose(Stopwatch clock) : IDisposable
    {
        public void Dispose() => clock.Stop();
    }
}
