using static TorchSharp.torch;

namespace Scrl.Detection;

// Shapes: N, M boxes, xyxy px.

/// <summary>torchvision ops/boxes.py semantics where they differ from Scrl.Core's BoxOps (degenerate boxes).</summary>
public static class TorchvisionBoxOps
{
    /// <summary>box_iou: inter / (area1 + area2 - inter), without BoxOps' zero-for-no-overlap rule.</summary>
    /// <param name="boxes1">[N, 4].</param>
    /// <param name="boxes2">[M, 4].</param>
    /// <returns>[N, M].</returns>
    public static Tensor BoxIou(Tensor boxes1, Tensor boxes2)
    {
        using var scope = NewDisposeScope();
        var (inter, union) = Overlap(boxes1.unsqueeze(1), boxes2.unsqueeze(0));
        return (inter / union).MoveToOuterDisposeScope();
    }

    /// <summary>generalized_box_iou: IoU minus the share of the enclosing box that the union leaves empty (DETR, Sparse R-CNN).</summary>
    /// <param name="boxes1">[N, 4].</param>
    /// <param name="boxes2">[M, 4].</param>
    /// <returns>[N, M] in [-1, 1].</returns>
    public static Tensor GeneralizedBoxIou(Tensor boxes1, Tensor boxes2)
    {
        using var scope = NewDisposeScope();
        return Giou(boxes1.unsqueeze(1), boxes2.unsqueeze(0)).MoveToOuterDisposeScope();
    }

    /// <summary>The diagonal of <see cref="GeneralizedBoxIou"/> without the rest: the GIoU of each pair (boxes1[i], boxes2[i]).</summary>
    /// <param name="boxes1">[N, 4].</param>
    /// <param name="boxes2">[N, 4].</param>
    /// <returns>[N].</returns>
    public static Tensor PairedGeneralizedBoxIou(Tensor boxes1, Tensor boxes2)
    {
        using var scope = NewDisposeScope();
        return Giou(boxes1, boxes2).MoveToOuterDisposeScope();
    }

    private static Tensor Giou(Tensor a, Tensor b)
    {
        var (inter, union) = Overlap(a, b);
        var enclosing = (maximum(X2(a), X2(b)) - minimum(X1(a), X1(b))).clamp_min(0) * (maximum(Y2(a), Y2(b)) - minimum(Y1(a), Y1(b))).clamp_min(0);
        return inter / union - (enclosing - union) / enclosing;
    }

    // Intersection and union areas of broadcast box pairs, op for op as torchvision's box_iou computes each element.
    private static (Tensor Intersection, Tensor Union) Overlap(Tensor a, Tensor b)
    {
        var area1 = (X2(a) - X1(a)) * (Y2(a) - Y1(a));
        var area2 = (X2(b) - X1(b)) * (Y2(b) - Y1(b));
        var inter = (minimum(X2(a), X2(b)) - maximum(X1(a), X1(b))).clamp_min(0) * (minimum(Y2(a), Y2(b)) - maximum(Y1(a), Y1(b))).clamp_min(0);
        return (inter, area1 + area2 - inter);
    }

    private static Tensor X1(Tensor boxes) => boxes.select(-1, 0);

    private static Tensor Y1(Tensor boxes) => boxes.select(-1, 1);

    private static Tensor X2(Tensor boxes) => boxes.select(-1, 2);

    private static Tensor Y2(Tensor boxes) => boxes.select(-1, 3);

    /// <summary>remove_small_boxes: indices of boxes whose width and height are both at least <paramref name="minSize"/>.</summary>
    /// <param name="boxes">[N, 4].</param>
    /// <returns>[K] int64.</returns>
    public static Tensor KeepLargeEnough(Tensor boxes, double minSize)
    {
        using var scope = NewDisposeScope();
        var ws = boxes[.., 2] - boxes[.., 0];
        var hs = boxes[.., 3] - boxes[.., 1];
        return nonzero((ws >= minSize).logical_and(hs >= minSize)).view(-1).MoveToOuterDisposeScope();
    }

    /// <summary>clip_boxes_to_image: x into [0, width], y into [0, height].</summary>
    /// <param name="boxes">[..., 4].</param>
    public static Tensor Clip(Tensor boxes, long height, long width) => Scrl.Core.Boxes.BoxOps.Clip(boxes, height, width);
}
