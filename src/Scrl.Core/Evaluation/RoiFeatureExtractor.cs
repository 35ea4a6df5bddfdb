using Scrl.Core.Boxes;
using Scrl.Core.Models;
using static TorchSharp.torch;

namespace Scrl.Core.Evaluation;

// Shapes: N images, R RoIs, C channels of one stage, h x w its feature map, P RoIAlign bins per side,
// D feature size (C5 channels, or the sum over C2..C5).

/// <summary>
/// Pools one feature vector per RoI from a backbone: RoIAlign (aligned, fixed sampling ratio) on C5, or on every
/// stage C2..C5, then the average over the P x P bins, concatenated over stages. The caller sets the backbone's
/// train/eval mode; this class only runs it without gradients.
/// </summary>
public sealed class RoiFeatureExtractor
{
    // RoIAlign gathers the whole feature map per RoI (R*C*h*w floats); RoIs are pooled in chunks that keep the
    // gather near 64 Mi floats (256 MB), which matters for C2 at 640 px (6.5 Mi floats per RoI).
    private const long GatherBudget = 64L << 20;

    private readonly ResNetBackbone _backbone;
    private readonly RoiEvalOptions _options;

    public RoiFeatureExtractor(ResNetBackbone backbone, RoiEvalOptions options)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        ArgumentNullException.ThrowIfNull(options);
        _backbone = backbone;
        _options = options;
        FeatureSize = options.Variant == RoiEvalVariant.Fpn
            ? backbone.OutputShapes.Values.Sum(s => s.Channels)
            : backbone.OutputChannels;
    }

    /// <summary>D: channels of C5 (C5 and Image variants), or of C2..C5 together.</summary>
    public long FeatureSize { get; }

    /// <param name="images">[N, 3, H, W], normalized.</param>
    /// <param name="rois">[R, 5] = (batchIdx, x1, y1, x2, y2) in image pixels.</param>
    /// <returns>[R, D] on the backbone's device.</returns>
    public Tensor Extract(Tensor images, Tensor rois)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var device = _backbone.parameters().First().device;
        var x = images.to(device);
        var r = rois.to(device);
        Tensor pooled;
        if (_options.Variant == RoiEvalVariant.C5)
        {
            pooled = Pool(_backbone.call(x), r, 1.0 / _backbone.OutputShapes[ResNetBackbone.FeatureNames[^1]].Stride);
        }
        else if (_options.Variant == RoiEvalVariant.Image)
        {
            var global = _backbone.call(x).mean([2, 3]);                                       // [N, C]
            pooled = global.index_select(0, r.select(1, 0).to(ScalarType.Int64));             // [R, C]: each RoI's image
        }
        else
        {
            var stages = _backbone.ForwardFeatures(x);
            pooled = cat(stages.Select(s => Pool(s.Value, r, 1.0 / _backbone.OutputShapes[s.Key].Stride)).ToArray(), 1);   // [R, D]
        }
        return pooled.MoveToOuterDisposeScope();
    }

    /// <returns>[R, C]: RoIAlign to P x P bins, averaged.</returns>
    private Tensor Pool(Tensor features, Tensor rois, double spatialScale)
    {
        long roiCount = rois.shape[0];
        long perRoi = features.shape[1] * features.shape[2] * features.shape[3];
        long chunk = Math.Max(1, GatherBudget / perRoi);
        var parts = new List<Tensor>();
        for (long start = 0; start < roiCount; start += chunk)
        {
            var slice = rois.narrow(0, start, Math.Min(chunk, roiCount - start));
            var aligned = RoiAlign.Apply(features, slice, _options.RoiOutputSize, _options.RoiOutputSize, spatialScale,
                                         _options.SamplingRatio, aligned: true);                 // [r, C, P, P]
            parts.Add(aligned.mean([2, 3]));                                                    // [r, C]
        }
        return parts.Count == 1 ? parts[0] : cat(parts.ToArray(), 0);
    }
}
