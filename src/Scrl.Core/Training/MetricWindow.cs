namespace Scrl.Core.Training;

/// <summary>Accumulates step results between two metric writes; only .NET numbers, never tensors.</summary>
internal sealed class MetricWindow
{
    private double _lossSum, _regressionSum, _classificationSum, _dataSeconds, _totalSeconds;
    private long _images, _imagesWithBoxes, _pairs;

    public int Count { get; private set; }

    public ScrlStepResult? Last { get; private set; }

    /// <summary>Mean loss of the last flushed window (or of the current one before the first flush).</summary>
    public double LastLoss { get; private set; } = double.NaN;

    /// <summary>Whether any step was added, so <see cref="LastLoss"/> holds a mean.</summary>
    public bool HasLoss => Last is not null;

    /// <summary>Image pairs per second over the current window.</summary>
    public double PairsPerSecond => _totalSeconds > 0 ? _images / _totalSeconds : 0;

    public void Add(ScrlStepResult result, TwoViewBatch batch, double dataSeconds, double totalSeconds)
    {
        Count++;
        Last = result;
        _lossSum += result.Loss;
        _regressionSum += result.RegressionLoss;
        _classificationSum += result.ClassificationLoss ?? 0;
        _dataSeconds += dataSeconds;
        _totalSeconds += totalSeconds;
        _images += batch.ImageCount;
        _imagesWithBoxes += batch.ImagesWithBoxes;
        _pairs += batch.Rois is null ? 0 : batch.Rois.shape[0] / 2;
        LastLoss = _lossSum / Count;
    }

    /// <summary>The window's scalars for the metric sinks; starts a new window.</summary>
    public IReadOnlyDictionary<string, double> Flush(int skippedBatches)
    {
        var last = Last!.Value;
        var scalars = new Dictionary<string, double>
        {
            ["loss"] = _lossSum / Count,
            ["loss/regression"] = _regressionSum / Count,
            ["lr"] = last.LearningRate,
            ["throughput/pairs_per_s"] = PairsPerSecond,
            ["time/step_s"] = _totalSeconds / Count,
            ["time/data_wait_s"] = _dataSeconds / Count,
            ["boxes/images_with_boxes"] = _images == 0 ? 0 : (double)_imagesWithBoxes / _images,
            ["boxes/pairs_per_image"] = _images == 0 ? 0 : (double)_pairs / _images,
            ["data/skipped_batches"] = skippedBatches,
        };
        if (last.ClassificationLoss is not null) scalars["loss/online_classifier"] = _classificationSum / Count;
        if (last.EmaMomentum is { } momentum) scalars["ema_momentum"] = momentum;
        LastLoss = _lossSum / Count;
        _lossSum = _regressionSum = _classificationSum = _dataSeconds = _totalSeconds = 0;
        _images = _imagesWithBoxes = _pairs = 0;
        Count = 0;
        return scalars;
    }
}
