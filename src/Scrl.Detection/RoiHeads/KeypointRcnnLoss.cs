using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.RoiHeads;

// Shapes: P positive RoIs over the batch, P_i of image i, G_i ground-truth instances of image i, J keypoints, M x M heatmap.

/// <summary>The keypoint branch's loss: cross entropy of each valid keypoint's heatmap against its target cell.</summary>
/// <remarks>Mirrors torchvision models/detection/roi_heads.py keypointrcnn_loss.</remarks>
public static class KeypointRcnnLoss
{
    /// <param name="logits">Heatmap logits [P, J, M, M] of the positives of every image, in image order.</param>
    /// <param name="proposals">Per image the positive RoIs [P_i, 4] xyxy px of the resized image.</param>
    /// <param name="gtKeypoints">Per image the resized ground truth [G_i, J, 3].</param>
    /// <param name="matched">Per image [P_i] int64 index into that image's ground truth.</param>
    /// <returns>Mean cross entropy over the visible keypoints inside their RoI; logits.sum() * 0 (zero, still
    /// differentiable) when there are none.</returns>
    public static Tensor Compute(Tensor logits, IReadOnlyList<Tensor> proposals, IReadOnlyList<Tensor> gtKeypoints, IReadOnlyList<Tensor> matched)
    {
        long p = logits.shape[0], joints = logits.shape[1], height = logits.shape[2], width = logits.shape[3];
        if (height != width) throw new ArgumentException($"heatmaps must be square, got [{string.Join(", ", logits.shape)}]", nameof(logits));
        using var scope = NewDisposeScope();
        var targets = new List<Tensor>(proposals.Count);
        var valid = new List<Tensor>(proposals.Count);
        for (int i = 0; i < proposals.Count; i++)
        {
            var keypoints = gtKeypoints[i].index_select(0, matched[i]);                            // [P_i, J, 3]
            var (t, v) = KeypointHeatmaps.Targets(keypoints, proposals[i], height);
            targets.Add(t.view(-1));
            valid.Add(v.view(-1));
        }
        var allTargets = cat(targets, 0);                                                          // [P * J]
        var validIndex = nonzero(cat(valid, 0)).view(-1);                                          // [V]
        if (allTargets.numel() == 0 || validIndex.numel() == 0)
            return (logits.sum() * 0).MoveToOuterDisposeScope();
        var flat = logits.view(p * joints, height * width);                                        // [P * J, M * M]
        var loss = F.cross_entropy(flat.index_select(0, validIndex), allTargets.index_select(0, validIndex));
        return loss.MoveToOuterDisposeScope();
    }
}
