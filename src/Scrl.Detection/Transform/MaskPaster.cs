using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Scrl.Detection.Transform;

// Shapes: D detections of one image, M x M predicted masks, S = M + 2 * padding, H x W image. Boxes xyxy px of the image.

/// <summary>Pastes per-detection mask probabilities into the full image, as torchvision's paste_masks_in_image.</summary>
/// <remarks>
/// Mirrors torchvision models/detection/roi_heads.py paste_masks_in_image: expand_masks (zero border of
/// <c>padding</c>), expand_boxes by (M + 2 padding) / M, boxes truncated to int64, each mask resized bilinearly
/// (align_corners=False) to its box's (y2 - y1 + 1) x (x2 - x1 + 1) pixels and pasted at (y1, x1), clipped to the
/// image, zero elsewhere. That resize is separable, so all D masks paste at once as Wy[d] @ mask[d] @ Wx[d]^T, with
/// row weights [H, S] and column weights [W, S] that are zero outside the box: two batched matmuls on the masks'
/// device, no per-mask loop and no host sync. Weights are upsample_bilinear2d's, in the masks' dtype: scale S / length,
/// source (dst + 0.5) * scale - 0.5 clamped at 0, index0 its floor (at most S - 1), index1 the next cell (or the
/// last again), lambda1 the fraction.
/// </remarks>
public static class MaskPaster
{
    /// <param name="masks">[D, 1, M, M] probabilities.</param>
    /// <param name="boxes">[D, 4] of the image the masks are pasted into.</param>
    /// <param name="imageSize">(H, W).</param>
    /// <param name="padding">Zero border added before resizing (torchvision: 1).</param>
    /// <returns>[D, 1, H, W] probabilities (not thresholded).</returns>
    public static Tensor Paste(Tensor masks, Tensor boxes, (long Height, long Width) imageSize, int padding = 1)
    {
        ArgumentNullException.ThrowIfNull(masks);
        ArgumentNullException.ThrowIfNull(boxes);
        if (masks.dim() != 4 || masks.shape[1] != 1 || masks.shape[2] != masks.shape[3])
            throw new ArgumentException($"masks must be [D, 1, M, M], got [{string.Join(", ", masks.shape)}].", nameof(masks));
        if (boxes.dim() != 2 || boxes.shape[1] != 4 || boxes.shape[0] != masks.shape[0])
            throw new ArgumentException($"boxes must be [{masks.shape[0]}, 4], got [{string.Join(", ", boxes.shape)}].", nameof(boxes));
        ArgumentOutOfRangeException.ThrowIfNegative(padding);
        using var scope = NewDisposeScope();
        if (masks.shape[0] == 0)
            return zeros([0, 1, imageSize.Height, imageSize.Width], masks.dtype, masks.device).MoveToOuterDisposeScope();

        long size = masks.shape[^1], cells = size + 2 * padding;
        var padded = F.pad(masks, [padding, padding, padding, padding]).squeeze(1);                   // [D, S, S]
        var pixels = ExpandBoxes(boxes, (double)cells / size).to(ScalarType.Int64);                    // [D, 4]
        var rows = AxisWeights(pixels[.., 1], pixels[.., 3], imageSize.Height, cells, masks.dtype);    // [D, H, S]
        var cols = AxisWeights(pixels[.., 0], pixels[.., 2], imageSize.Width, cells, masks.dtype);     // [D, W, S]
        // Columns first, then rows: upsample_bilinear2d's order of blending (each row's x-lerp, then the y-lerp).
        var pasted = matmul(rows, matmul(padded, cols.transpose(1, 2)));                               // [D, H, W]
        return pasted.unsqueeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>torchvision's expand_boxes: half sizes times <paramref name="scale"/> around the centres, in the boxes' dtype.</summary>
    private static Tensor ExpandBoxes(Tensor boxes, double scale)
    {
        var halfWidth = (boxes[.., 2] - boxes[.., 0]) * 0.5 * scale;                                   // [D]
        var halfHeight = (boxes[.., 3] - boxes[.., 1]) * 0.5 * scale;
        var centreX = (boxes[.., 2] + boxes[.., 0]) * 0.5;
        var centreY = (boxes[.., 3] + boxes[.., 1]) * 0.5;
        return stack([centreX - halfWidth, centreY - halfHeight, centreX + halfWidth, centreY + halfHeight], 1);   // [D, 4]
    }

    /// <summary>Bilinear weights of the S mask cells for each image pixel along one axis, zero outside [start, end].</summary>
    /// <param name="start">[D] int64 first pixel of the expanded box.</param>
    /// <param name="end">[D] int64 last pixel (torchvision pastes up to end + 1, exclusive).</param>
    /// <param name="length">Image pixels along the axis (H or W).</param>
    /// <param name="cells">S.</param>
    /// <returns>[D, length, S].</returns>
    private static Tensor AxisWeights(Tensor start, Tensor end, long length, long cells, ScalarType dtype)
    {
        var device = start.device;
        var resized = (end - start + 1).clamp_min(1);                                                  // [D] pixels of the resized mask
        var pixel = arange(length, ScalarType.Int64, device).unsqueeze(0);                             // [1, L]
        var inside = pixel.ge(start.unsqueeze(1)).logical_and(pixel.le(end.unsqueeze(1)));             // [D, L]
        var local = (pixel - start.unsqueeze(1)).to(dtype);                                            // [D, L] pixel of the resized mask
        var scale = full(1, (double)cells, dtype, device) / resized.to(dtype);                          // [D]
        var source = ((local + 0.5) * scale.unsqueeze(1) - 0.5).clamp_min(0.0);                       // [D, L]
        var low = source.floor().clamp_max(cells - 1.0);                                               // [D, L] index0
        var high = where(low.lt(cells - 1.0), low + 1.0, low);                                         // index1: the last cell repeats
        var frac = (source - low).clamp(0.0, 1.0);                                                     // lambda1
        var cell = arange(cells, dtype, device);                                                       // [S]
        var weights = (1.0 - frac).unsqueeze(2) * cell.eq(low.unsqueeze(2)) + frac.unsqueeze(2) * cell.eq(high.unsqueeze(2));   // [D, L, S]
        return weights * inside.unsqueeze(2).to(dtype);
    }
}
