using static TorchSharp.torch;

namespace Scrl.Core.Boxes;

// Shapes: N, M boxes; boxes are xyxy in pixels of the image they belong to (continuous coordinates).

/// <summary>Box arithmetic on tensors of xyxy pixel boxes.</summary>
public static class BoxOps
{
    /// <summary>Areas, with continuous coordinates (no "+1" pixel convention).</summary>
    /// <param name="boxes">[..., 4] xyxy px.</param>
    /// <returns>[...].</returns>
    public static Tensor Area(Tensor boxes)
    {
        RequireBoxes(boxes, nameof(boxes));
        using var scope = NewDisposeScope();
        var width = boxes.select(-1, 2) - boxes.select(-1, 0);   // [...]
        var height = boxes.select(-1, 3) - boxes.select(-1, 1);
        return (width * height).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Intersection over union of every pair, as SCRL's <c>bbox_iou</c> computes it: continuous coordinates,
    /// and 0 (not NaN) for pairs that do not overlap, even when both boxes are empty.
    /// </summary>
    /// <param name="boxes1">[N, 4] xyxy px.</param>
    /// <param name="boxes2">[M, 4] xyxy px, same image space.</param>
    /// <returns>[N, M].</returns>
    public static Tensor PairwiseIou(Tensor boxes1, Tensor boxes2)
    {
        RequireBoxes(boxes1, nameof(boxes1), rank: 2);
        RequireBoxes(boxes2, nameof(boxes2), rank: 2);
        using var scope = NewDisposeScope();
        var a = boxes1.unsqueeze(1);                                                   // [N, 1, 4]
        var b = boxes2.unsqueeze(0);                                                   // [1, M, 4]
        var topLeft = maximum(a.narrow(-1, 0, 2), b.narrow(-1, 0, 2));                 // [N, M, 2]
        var bottomRight = minimum(a.narrow(-1, 2, 2), b.narrow(-1, 2, 2));             // [N, M, 2]
        var overlap = (bottomRight - topLeft).clamp_min(0.0);                          // [N, M, 2]
        var intersection = overlap.select(-1, 0) * overlap.select(-1, 1);              // [N, M]
        var union = Area(boxes1).unsqueeze(1).abs() + Area(boxes2).unsqueeze(0).abs() - intersection;  // [N, M]
        var iou = where(intersection > 0, intersection / union, zeros_like(intersection));
        return iou.MoveToOuterDisposeScope();
    }

    /// <summary>Clips boxes to the image: x to [0, width], y to [0, height].</summary>
    /// <param name="boxes">[..., 4] xyxy px.</param>
    /// <returns>[..., 4] xyxy px.</returns>
    public static Tensor Clip(Tensor boxes, double height, double width)
    {
        RequireBoxes(boxes, nameof(boxes));
        using var scope = NewDisposeScope();
        var upper = tensor(new[] { width, height, width, height }, boxes.dtype, boxes.device);   // [4]
        return boxes.clamp_min(0.0).minimum(upper).MoveToOuterDisposeScope();
    }

    private static void RequireBoxes(Tensor boxes, string name, int rank = -1)
    {
        bool ok = boxes.dim() >= 1 && boxes.shape[^1] == 4 && (rank < 0 || boxes.dim() == rank);
        if (!ok)
            throw new ArgumentException($"{name} must be {(rank == 2 ? "[N, 4]" : "[..., 4]")} xyxy boxes, got [{string.Join(", ", boxes.shape)}]", name);
    }
}
