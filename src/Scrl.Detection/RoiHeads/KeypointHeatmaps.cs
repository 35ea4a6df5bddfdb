using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.RoiHeads;

// Shapes: R RoIs, J keypoints, M x M heatmap (56 x 56), h_r x w_r the size of RoI r rounded up. RoIs [R, 4] xyxy px.

/// <summary>Keypoints to heatmap cells (training targets) and heatmap logits back to keypoints (inference).</summary>
/// <remarks>
/// Mirrors torchvision models/detection/roi_heads.py keypoints_to_heatmap and heatmaps_to_keypoints, arithmetic
/// included: the cell is floor((x - x1) * (M / w)) with M / w evaluated as torch does (reciprocal times M), a point
/// on the right or bottom edge goes to the last cell, and a decoded point is the centre of its cell (+0.5, after
/// Heckbert) scaled back by w / ceil(w).
/// </remarks>
public static class KeypointHeatmaps
{
    /// <summary>The target cell of each keypoint in its RoI's M x M heatmap, and whether it counts.</summary>
    /// <param name="keypoints">[R, J, 3] (x, y, visibility) of the ground truth each RoI matched.</param>
    /// <param name="rois">[R, 4].</param>
    /// <param name="heatmapSize">M.</param>
    /// <returns>Flat cell index y * M + x, 0 where invalid, [R, J] int64; and valid [R, J] int64: 1 when the
    /// keypoint is visible (v &gt; 0) and inside the RoI.</returns>
    public static (Tensor Targets, Tensor Valid) Targets(Tensor keypoints, Tensor rois, long heatmapSize)
    {
        if (keypoints.dim() != 3 || keypoints.shape[2] != 3 || rois.dim() != 2 || rois.shape[0] != keypoints.shape[0])
            throw new ArgumentException($"need keypoints [R, J, 3] and rois [R, 4], got [{string.Join(", ", keypoints.shape)}] and [{string.Join(", ", rois.shape)}]");
        using var scope = NewDisposeScope();
        var x1 = rois[.., 0].unsqueeze(1);                                                       // [R, 1]
        var y1 = rois[.., 1].unsqueeze(1);
        var x2 = rois[.., 2].unsqueeze(1);
        var y2 = rois[.., 3].unsqueeze(1);
        var scaleX = (x2 - x1).reciprocal() * heatmapSize;                                       // torch's `M / tensor`
        var scaleY = (y2 - y1).reciprocal() * heatmapSize;
        var x = keypoints[.., .., 0];                                                            // [R, J]
        var y = keypoints[.., .., 1];
        var cellX = ((x - x1) * scaleX).floor().to(ScalarType.Int64)
            .masked_fill(x.eq(x2), heatmapSize - 1);                                             // on the right edge: last cell
        var cellY = ((y - y1) * scaleY).floor().to(ScalarType.Int64)
            .masked_fill(y.eq(y2), heatmapSize - 1);
        var inside = cellX.ge(0).logical_and(cellY.ge(0)).logical_and(cellX.lt(heatmapSize)).logical_and(cellY.lt(heatmapSize));
        var valid = inside.logical_and(keypoints[.., .., 2].gt(0)).to(ScalarType.Int64);         // [R, J]
        var targets = (cellY * heatmapSize + cellX) * valid;                                     // [R, J]
        return (targets.MoveToOuterDisposeScope(), valid.MoveToOuterDisposeScope());
    }

    /// <summary>Each keypoint at the maximum of its heatmap resized (bicubic) to its RoI, in the RoIs' pixels.</summary>
    /// <param name="maps">Heatmap logits [R, J, M, M].</param>
    /// <param name="rois">[R, 4] xyxy px.</param>
    /// <returns>Keypoints [R, J, 3] = (x, y, 1), and the resized heatmap's logit there [R, J] (torchvision's keypoints_scores).</returns>
    public static (Tensor Keypoints, Tensor Scores) ToKeypoints(Tensor maps, Tensor rois)
    {
        if (maps.dim() != 4 || rois.dim() != 2 || rois.shape[0] != maps.shape[0])
            throw new ArgumentException($"need maps [R, J, M, M] and rois [R, 4], got [{string.Join(", ", maps.shape)}] and [{string.Join(", ", rois.shape)}]");
        using var scope = NewDisposeScope();
        long count = maps.shape[0], joints = maps.shape[1];
        var offsetX = rois[.., 0].unsqueeze(1);                                                  // [R, 1]
        var offsetY = rois[.., 1].unsqueeze(1);
        var widths = (rois[.., 2] - rois[.., 0]).clamp_min(1);                                   // [R]
        var heights = (rois[.., 3] - rois[.., 1]).clamp_min(1);
        var widthsCeil = widths.ceil();
        var heightsCeil = heights.ceil();
        // Each RoI's map has its own size, so this loop runs once per RoI (as torchvision's does); only the
        // [J] argmax and logit of each outlive their iteration.
        var ceilW = widthsCeil.cpu().to(ScalarType.Float64).data<double>().ToArray();
        var ceilH = heightsCeil.cpu().to(ScalarType.Float64).data<double>().ToArray();
        var positions = new Tensor[count];
        var scores = new Tensor[count];
        for (int r = 0; r < count; r++)
        {
            using var resized = F.interpolate(maps[r].unsqueeze(1), size: [(long)ceilH[r], (long)ceilW[r]],
                                              mode: InterpolationMode.Bicubic, align_corners: false);  // [J, 1, h_r, w_r]
            using var flat = resized.reshape(joints, -1);                                         // [J, h_r * w_r]
            positions[r] = flat.argmax(1);                                                        // [J]
            scores[r] = flat.gather(1, positions[r].unsqueeze(1)).squeeze(1);                     // [J]
        }
        var pos = count == 0 ? zeros([0, joints], ScalarType.Int64, maps.device) : stack(positions);   // [R, J]
        var score = count == 0 ? zeros([0, joints], maps.dtype, maps.device) : stack(scores);         // [R, J]
        var w = widthsCeil.to(ScalarType.Int64).unsqueeze(1);                                    // [R, 1]
        var xInt = pos.remainder(w);
        var yInt = (pos - xInt).div(w, rounding_mode: RoundingMode.floor);
        var x = (xInt.to(maps.dtype) + 0.5) * (widths / widthsCeil).unsqueeze(1) + offsetX;      // [R, J]
        var y = (yInt.to(maps.dtype) + 0.5) * (heights / heightsCeil).unsqueeze(1) + offsetY;
        var keypoints = stack([x, y, ones_like(x)], -1);                                         // [R, J, 3]
        return (keypoints.MoveToOuterDisposeScope(), score.MoveToOuterDisposeScope());
    }
}
