using Scrl.Core.Boxes;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.RoiHeads;

// Shapes: P positive proposals over the batch, P_i of image i, G_i ground-truth instances of image i (H_i x W_i
// resized image), K classes including background, M x M predicted mask size (28).

/// <summary>The mask branch's training targets and loss.</summary>
/// <remarks>Mirrors torchvision models/detection/roi_heads.py project_masks_on_boxes and maskrcnn_loss.</remarks>
public static class MaskRcnnLoss
{
    /// <summary>RoIs projected per RoIAlign call. Adaptive sampling builds weights of RoIs x M x ceil(bin) x image
    /// side (0.9 GB per temporary for 128 positives on a 1333 px COCO image); chunks bound that to a quarter.</summary>
    private const int RoisPerChunk = 32;

    /// <summary>Each positive proposal's crop of its matched instance mask, resampled to M x M.</summary>
    /// <remarks>torchvision's roi_align call: spatial scale 1, its default sampling ratio (adaptive,
    /// ceil(bin size) samples per bin) and aligned=False, on the masks as floats.</remarks>
    /// <param name="gtMasks">[G_i, H_i, W_i] uint8 instance masks of the resized image.</param>
    /// <param name="boxes">[P_i, 4] xyxy px of the resized image.</param>
    /// <param name="matchedTarget">[P_i] int64 index into <paramref name="gtMasks"/>.</param>
    /// <param name="size">M.</param>
    /// <returns>[P_i, M, M] in [0, 1].</returns>
    public static Tensor ProjectMasksOnBoxes(Tensor gtMasks, Tensor boxes, Tensor matchedTarget, long size)
    {
        using var scope = NewDisposeScope();
        var rois = cat([matchedTarget.to(boxes.dtype).unsqueeze(1), boxes], 1);                       // [P_i, 5]
        var masks = gtMasks.unsqueeze(1).to(boxes.dtype);                                              // [G_i, 1, H_i, W_i]
        var chunks = new List<Tensor>();
        for (long start = 0; start < rois.shape[0]; start += RoisPerChunk)
        {
            var chunk = rois.narrow(0, start, Math.Min(RoisPerChunk, rois.shape[0] - start));
            chunks.Add(WindowedRoiAlign.Apply(masks, chunk, size, size, spatialScale: 1.0, samplingRatio: 0, aligned: false));   // [<=32, 1, M, M]
        }
        var projected = chunks.Count == 0 ? zeros([0, size, size], boxes.dtype, boxes.device) : cat(chunks, 0).squeeze(1);   // [P_i, M, M]
        return projected.MoveToOuterDisposeScope();
    }

    /// <summary>loss_mask: binary cross entropy with logits of each positive's own-class map against its projected
    /// mask, averaged over every pixel; a zero that keeps the graph when no image has a positive.</summary>
    /// <param name="maskLogits">[P, K, M, M], positives in image order.</param>
    /// <param name="positives">Per image, the positives the logits were predicted for.</param>
    /// <param name="gtMasks">Per image, [G_i, H_i, W_i] uint8 instance masks of the resized image.</param>
    /// <returns>Scalar.</returns>
    public static Tensor Compute(Tensor maskLogits, IReadOnlyList<PositiveProposals> positives, IReadOnlyList<Tensor> gtMasks)
    {
        ArgumentNullException.ThrowIfNull(positives);
        ArgumentNullException.ThrowIfNull(gtMasks);
        if (positives.Count != gtMasks.Count)
            throw new ArgumentException($"{positives.Count} images of positives but {gtMasks.Count} of masks.", nameof(gtMasks));
        using var scope = NewDisposeScope();
        long size = maskLogits.shape[^1];
        var labels = cat(positives.Select(p => p.Labels).ToList(), 0);                                // [P]
        var targets = cat(positives.Select((p, i) => ProjectMasksOnBoxes(gtMasks[i], p.Boxes, p.MatchedTarget, size)).ToList(), 0);   // [P, M, M]
        // torch.mean of an empty tensor is NaN, so torchvision returns a zero connected to the logits instead.
        if (targets.numel() == 0) return (maskLogits.sum() * 0).MoveToOuterDisposeScope();
        var own = maskLogits.gather(1, labels.view(-1, 1, 1, 1).expand(-1, 1, size, size)).squeeze(1);   // [P, M, M]
        return F.binary_cross_entropy_with_logits(own, targets).MoveToOuterDisposeScope();
    }
}
