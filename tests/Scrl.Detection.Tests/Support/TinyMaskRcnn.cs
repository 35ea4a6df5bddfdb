using Scrl.Detection.RoiHeads;
using static TorchSharp.torch;

namespace Scrl.Detection.Tests.Support;

// Shapes: G instances of one image, H x W image.

/// <summary>A Mask R-CNN on <see cref="TinyDetector"/>'s small backbone and heads, and ellipse instances for it.</summary>
public static class TinyMaskRcnn
{
    /// <summary><see cref="TinyDetector.Options"/> with a two-layer, 32-channel mask head.</summary>
    public static MaskRcnnOptions Options(int numClasses)
    {
        var faster = TinyDetector.Options(numClasses);
        return new MaskRcnnOptions
        {
            NumClasses = numClasses, Backbone = faster.Backbone, Transform = faster.Transform, Rpn = faster.Rpn, BoxHead = faster.BoxHead,
            MaskHead = new MaskHeadOptions { Layers = [32, 32], DimReduced = 32 },
        };
    }

    /// <summary>Ground truth whose masks are the ellipses inscribed in <paramref name="boxes"/>.</summary>
    /// <param name="boxes">[G, 4] xyxy px.</param>
    /// <param name="labels">[G] int64.</param>
    public static DetectionTarget Ellipses(Tensor boxes, Tensor labels, long height, long width)
    {
        using var scope = NewDisposeScope();
        var y = (arange(height, float32) + 0.5f).view(1, -1, 1);                                     // [1, H, 1] pixel centres
        var x = (arange(width, float32) + 0.5f).view(1, 1, -1);                                      // [1, 1, W]
        var b = boxes.view(-1, 4, 1, 1);                                                             // [G, 4, 1, 1]
        var (x1, y1, x2, y2) = (b[.., 0], b[.., 1], b[.., 2], b[.., 3]);                             // each [G, 1, 1]
        var dx = (x - (x1 + x2) / 2) / ((x2 - x1) / 2);
        var dy = (y - (y1 + y2) / 2) / ((y2 - y1) / 2);
        var masks = (dx.square() + dy.square()).le(1).to(ScalarType.Byte);                           // [G, H, W]
        return new DetectionTarget(boxes, labels, masks.MoveToOuterDisposeScope());
    }
}
