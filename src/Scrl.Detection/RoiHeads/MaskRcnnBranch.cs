using Scrl.Core.Training;
using Scrl.Detection.Poolers;
using static TorchSharp.torch;

namespace Scrl.Detection.RoiHeads;

// Shapes: N images, P_i positives / D_i detections of image i, R RoIs over the batch, C channels, S x S pooled
// size, K classes including background, M = 2S predicted mask size. Boxes xyxy px of the resized image.

/// <summary>Mask R-CNN's mask branch: pools each RoI from the FPN, predicts per-class mask logits; trains on the
/// positives' own-class maps, and gives each detection the probabilities of its label's map.</summary>
/// <remarks>
/// Mirrors the mask part of torchvision models/detection/roi_heads.py RoIHeads.forward, with maskrcnn_loss and
/// maskrcnn_inference. Keys: mask_head.*, mask_predictor.* (mask_roi_pool has no weights). The probabilities stay
/// M x M per detection here; <see cref="Transform.GeneralizedRcnnTransform.ToOriginalSizes"/> pastes them into the image.
/// </remarks>
public sealed class MaskRcnnBranch : RoiBranch
{
    private readonly MultiScaleRoiAlign _maskRoiPool;
    private readonly MaskRcnnHeads _maskHead;
    private readonly MaskRcnnPredictor _maskPredictor;

    /// <param name="maskRoiPool">MultiScaleRoIAlign(["0".."3"], 14, 2) for R50-FPN.</param>
    public MaskRcnnBranch(MultiScaleRoiAlign maskRoiPool, MaskRcnnHeads maskHead, MaskRcnnPredictor maskPredictor)
        : base("mask", maskHead, maskPredictor)
    {
        _maskRoiPool = maskRoiPool;
        _maskHead = maskHead;
        _maskPredictor = maskPredictor;
    }

    /// <summary>The R50-FPN branch of <paramref name="options"/> on FPN levels "0".."3" of <paramref name="fpnChannels"/> channels.</summary>
    public static MaskRcnnBranch FromOptions(MaskHeadOptions options, long fpnChannels, int numClasses, PhaseTimer? timer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var pool = new MultiScaleRoiAlign(["0", "1", "2", "3"], options.PoolSize, options.SamplingRatio, timer);
        var head = new MaskRcnnHeads(fpnChannels, options.Layers, options.Dilation);
        return new MaskRcnnBranch(pool, head, new MaskRcnnPredictor(head.OutChannels, options.DimReduced, numClasses));
    }

    /// <summary>loss_mask over the positives (targets must carry Masks).</summary>
    public override IReadOnlyDictionary<string, Tensor> Losses(IReadOnlyDictionary<string, Tensor> features, IReadOnlyList<PositiveProposals> positives,
        IReadOnlyList<(long Height, long Width)> imageSizes, IReadOnlyList<DetectionTarget> targets)
    {
        var gtMasks = targets.Select((t, i) => t.Masks
            ?? throw new ArgumentException($"targets[{i}] has no Masks; Mask R-CNN trains on instance masks.", nameof(targets))).ToList();
        var logits = Logits(features, positives.Select(p => p.Boxes).ToList(), imageSizes);          // [P, K, M, M]
        return new Dictionary<string, Tensor> { ["loss_mask"] = MaskRcnnLoss.Compute(logits, positives, gtMasks) };
    }

    /// <summary>Adds Masks [D_i, 1, M, M]: sigmoid of each detection's own-class logits (torchvision's maskrcnn_inference).</summary>
    public override IReadOnlyList<Detections> Annotate(IReadOnlyDictionary<string, Tensor> features, IReadOnlyList<Detections> detections,
        IReadOnlyList<(long Height, long Width)> imageSizes)
    {
        var logits = Logits(features, detections.Select(d => d.Boxes).ToList(), imageSizes);         // [R, K, M, M]
        long size = logits.shape[^1];
        var labels = cat(detections.Select(d => d.Labels).ToList(), 0);                              // [R]
        var probabilities = logits.gather(1, labels.view(-1, 1, 1, 1).expand(-1, 1, size, size)).sigmoid();   // [R, 1, M, M]
        var result = new List<Detections>(detections.Count);
        long offset = 0;
        foreach (var d in detections)
        {
            long count = d.Boxes.shape[0];
            result.Add(d with { Masks = probabilities.narrow(0, offset, count) });
            offset += count;
        }
        return result;
    }

    /// <returns>[R, K, M, M], RoIs in image order.</returns>
    private Tensor Logits(IReadOnlyDictionary<string, Tensor> features, IReadOnlyList<Tensor> boxes, IReadOnlyList<(long Height, long Width)> imageSizes)
    {
        var pooled = _maskRoiPool.Pool(features, boxes, imageSizes);                                  // [R, C, S, S]
        return _maskPredictor.call(_maskHead.call(pooled));
    }
}
