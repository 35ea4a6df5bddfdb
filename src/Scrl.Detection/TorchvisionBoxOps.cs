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
        var area1 = (boxes1[.., 2] - boxes1[.., 0]) * (boxes1[.., 3] - boxes1[.., 1]);               // [N]
        var area2 = (boxes2[.., 2] - boxes2[.., 0]) * (boxes2[.., 3] - boxes2[.., 1]);               // [M]
        var topLeft = maximum(boxes1.narrow(1, 0, 2).unsqueeze(1), boxes2.narrow(1, 0, 2).unsqueeze(0));       // [N, M, 2]
        var bottomRight = minimum(boxes1.narrow(1, 2, 2).unsqueeze(1), boxes2.narrow(1, 2, 2).unsqueeze(0));   // [N, M, 2]
        var wh = (bottomRight - topLeft).clamp_min(0);
        var inter = wh[.., .., 0] * wh[.., .., 1];                                                   // [N, M]
        var union = area1.unsqueeze(1) + area2.unsqueeze(0) - inter;
        return (inter / union).MoveToOuterDisposeScope();
    }

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
