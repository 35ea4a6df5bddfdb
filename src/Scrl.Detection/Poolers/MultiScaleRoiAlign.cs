using Scrl.Core.Boxes;
using Scrl.Core.Training;
using static TorchSharp.torch;

namespace Scrl.Detection.Poolers;

// Shapes: N images, R RoIs over the batch, C channels, S x S output, L pooled levels.

/// <summary>RoIAlign from the FPN level each RoI's size maps to.</summary>
/// <remarks>
/// Mirrors torchvision ops/poolers.py MultiScaleRoIAlign (aligned=False, as torchvision's default), or detectron2's
/// ROIPooler with ROIAlignV2 under <see cref="PoolerFlavor.Detectron2"/> (Sparse R-CNN). Scales are
/// inferred on every call from the level sizes and the largest image size, never cached. A fixed sampling ratio
/// pools every level in one <see cref="EmbeddingBagRoiAlign"/> call (cost grows with the RoI count, not their
/// extent); an adaptive one loops over the levels with <see cref="WindowedRoiAlign"/>. Not a module: it has no weights.
/// </remarks>
public sealed class MultiScaleRoiAlign
{
    private readonly PhaseTimer? _timer;

    /// <param name="featureNames">Levels to pool from, finest first ("0".."3" for R50-FPN).</param>
    /// <param name="outputSize">S (7).</param>
    /// <param name="samplingRatio">Samples per bin side (2).</param>
    /// <param name="timer">Benchmarks only: charges every <see cref="Pool"/> call to <see cref="DetectionPhases.RoiAlign"/>.</param>
    /// <param name="flavor">Whose pooler: sampling grid (aligned or not) and level rounding.</param>
    public MultiScaleRoiAlign(IReadOnlyList<string> featureNames, int outputSize = 7, int samplingRatio = 2, PhaseTimer? timer = null,
                              PoolerFlavor flavor = PoolerFlavor.Torchvision)
    {
        if (featureNames.Count == 0) throw new ArgumentException("need at least one feature level", nameof(featureNames));
        FeatureNames = featureNames;
        OutputSize = outputSize;
        SamplingRatio = samplingRatio;
        Flavor = flavor;
        _timer = timer;
    }

    public PoolerFlavor Flavor { get; }

    public IReadOnlyList<string> FeatureNames { get; }

    public int OutputSize { get; }

    public int SamplingRatio { get; }

    /// <param name="features">Named levels [N, C, H_l, W_l].</param>
    /// <param name="boxes">Per image [R_i, 4] xyxy px of the resized image.</param>
    /// <param name="imageSizes">Resized (height, width) per image.</param>
    /// <returns>[R, C, S, S], RoIs in image order.</returns>
    public Tensor Pool(IReadOnlyDictionary<string, Tensor> features, IReadOnlyList<Tensor> boxes, IReadOnlyList<(long Height, long Width)> imageSizes) =>
        Pool(FeatureNames.Select(name => features[name]).ToList(), null, boxes, imageSizes);

    /// <summary>The levels this pooler reads laid out once, for a head that pools the same maps again and again.</summary>
    /// <exception cref="InvalidOperationException">An adaptive sampling ratio, which pools level by level and has no use for it.</exception>
    public PoolingTable Prepare(IReadOnlyDictionary<string, Tensor> features)
    {
        if (SamplingRatio <= 0) throw new InvalidOperationException("an adaptive sampling ratio pools each level on its own; pool the features directly");
        using var timed = _timer?.Measure(DetectionPhases.RoiAlign);
        return PoolingTable.Of(FeatureNames.Select(name => features[name]).ToList());
    }

    /// <param name="table">What <see cref="Prepare"/> made of the features.</param>
    /// <inheritdoc cref="Pool(IReadOnlyDictionary{string, Tensor}, IReadOnlyList{Tensor}, IReadOnlyList{ValueTuple{long, long}})"/>
    public Tensor Pool(PoolingTable table, IReadOnlyList<Tensor> boxes, IReadOnlyList<(long Height, long Width)> imageSizes) =>
        Pool(table.Levels, table, boxes, imageSizes);

    private Tensor Pool(IReadOnlyList<Tensor> levels, PoolingTable? table, IReadOnlyList<Tensor> boxes, IReadOnlyList<(long Height, long Width)> imageSizes)
    {
        using var timed = _timer?.Measure(DetectionPhases.RoiAlign);
        using var scope = NewDisposeScope();
        var rois = cat(boxes.Select((b, i) => cat([full([b.shape[0], 1], i, b.dtype, b.device), b], 1)).ToList(), 0);   // [R, 5]
        long maxHeight = imageSizes.Max(s => s.Height), maxWidth = imageSizes.Max(s => s.Width);
        var scales = levels.Select(f => InferScale(f.shape[2], maxHeight)).ToList();
        int minLevel = (int)-Math.Log2(scales[0]), maxLevel = (int)-Math.Log2(scales[^1]);
        var target = levels.Count == 1
            ? zeros(rois.shape[0], ScalarType.Int64, rois.device)
            : new LevelMapper(minLevel, maxLevel, Flavor).Map(rois.narrow(1, 1, 4));                     // [R] level index
        if (SamplingRatio > 0)
            return EmbeddingBagRoiAlign.Apply(table ?? PoolingTable.Of(levels), rois, target, scales, OutputSize, OutputSize, SamplingRatio, Aligned)
                .MoveToOuterDisposeScope();

        var result = zeros([rois.shape[0], levels[0].shape[1], OutputSize, OutputSize], levels[0].dtype, levels[0].device);   // [R, C, S, S]
        for (int l = 0; l < levels.Count; l++)
        {
            var inLevel = nonzero(target.eq(l)).view(-1);                                        // [R_l]
            if (inLevel.shape[0] == 0) continue;
            var pooled = WindowedRoiAlign.Apply(levels[l], rois.index_select(0, inLevel), OutputSize, OutputSize, scales[l], SamplingRatio, Aligned);
            result.index_put_(pooled, new[] { inLevel });
        }
        return result.MoveToOuterDisposeScope();
    }

    // ROIAlignV2 samples pixel centres (half-pixel offset); torchvision's RoIAlign samples pixel corners.
    private bool Aligned => Flavor == PoolerFlavor.Detectron2;

    /// <summary>torchvision's _infer_scale: the power of two nearest to level size / image size (float32 log2).</summary>
    private static double InferScale(long levelSize, long imageSize)
    {
        float approx = (float)((double)levelSize / imageSize);
        return Math.Pow(2, Math.Round(MathF.Log2(approx), MidpointRounding.ToEven));
    }
}
