using static TorchSharp.torch;

namespace Scrl.Core.Boxes;

// Shapes: R boxes, K classes (box sets per row). Boxes are xyxy pixels; deltas are (dx, dy, dw, dh) per box.

/// <summary>Encodes boxes as weighted (dx, dy, dw, dh) offsets from reference boxes, and decodes them back.</summary>
/// <remarks>Mirrors torchvision models/detection/_utils.py BoxCoder (encode_boxes, decode_single), op for op.</remarks>
public sealed class BoxCoder
{
    /// <summary>torchvision's default clip on dw, dh: log(1000/16), so no box grows past 1000/16 times its anchor.</summary>
    public static readonly double DefaultXformClip = Math.Log(1000.0 / 16);

    /// <param name="weights">(wx, wy, ww, wh): (1, 1, 1, 1) for the RPN, (10, 10, 5, 5) for the box head.</param>
    /// <param name="xformClip">Upper clamp on decoded dw, dh before exp.</param>
    public BoxCoder((double X, double Y, double W, double H) weights, double? xformClip = null)
    {
        Weights = weights;
        XformClip = xformClip ?? DefaultXformClip;
    }

    public (double X, double Y, double W, double H) Weights { get; }

    public double XformClip { get; }

    /// <summary>Regression targets that move <paramref name="proposals"/> onto <paramref name="referenceBoxes"/>.</summary>
    /// <param name="referenceBoxes">Matched ground truth [R, 4] xyxy px.</param>
    /// <param name="proposals">Anchors or proposals [R, 4] xyxy px.</param>
    /// <returns>Deltas [R, 4].</returns>
    public Tensor Encode(Tensor referenceBoxes, Tensor proposals)
    {
        if (referenceBoxes.dim() != 2 || referenceBoxes.shape[1] != 4 || !referenceBoxes.shape.SequenceEqual(proposals.shape))
            throw new ArgumentException($"Encode needs two [R, 4] tensors, got [{string.Join(", ", referenceBoxes.shape)}] and [{string.Join(", ", proposals.shape)}].");
        using var scope = NewDisposeScope();
        var (exX, exY, exW, exH) = Centers(proposals);            // each [R, 1]
        var (gtX, gtY, gtW, gtH) = Centers(referenceBoxes);
        var dx = Weights.X * (gtX - exX) / exW;                   // [R, 1]
        var dy = Weights.Y * (gtY - exY) / exH;
        var dw = Weights.W * log(gtW / exW);
        var dh = Weights.H * log(gtH / exH);
        return cat([dx, dy, dw, dh], 1).MoveToOuterDisposeScope(); // [R, 4]
    }

    /// <summary>Applies class-specific deltas to their boxes.</summary>
    /// <param name="deltas">[R, 4*K].</param>
    /// <param name="boxes">Reference boxes [R, 4] xyxy px.</param>
    /// <returns>Decoded boxes [R, K, 4] xyxy px (not clipped).</returns>
    public Tensor Decode(Tensor deltas, Tensor boxes)
    {
        if (deltas.dim() != 2 || deltas.shape[1] % 4 != 0 || boxes.dim() != 2 || boxes.shape[0] != deltas.shape[0])
            throw new ArgumentException($"Decode needs deltas [R, 4K] and boxes [R, 4], got [{string.Join(", ", deltas.shape)}] and [{string.Join(", ", boxes.shape)}].");
        using var scope = NewDisposeScope();
        var b = boxes.to(deltas.dtype);
        var widths = b[.., 2] - b[.., 0];                          // [R]
        var heights = b[.., 3] - b[.., 1];
        var ctrX = b[.., 0] + 0.5 * widths;
        var ctrY = b[.., 1] + 0.5 * heights;

        var d = deltas.view(deltas.shape[0], deltas.shape[1] / 4, 4);   // [R, K, 4]; explicit K so R = 0 (no proposals) works
        var dx = d[.., .., 0] / Weights.X;                         // [R, K]
        var dy = d[.., .., 1] / Weights.Y;
        var dw = (d[.., .., 2] / Weights.W).clamp_max(XformClip);
        var dh = (d[.., .., 3] / Weights.H).clamp_max(XformClip);

        var predCtrX = dx * widths.unsqueeze(1) + ctrX.unsqueeze(1);    // [R, K]
        var predCtrY = dy * heights.unsqueeze(1) + ctrY.unsqueeze(1);
        var halfW = 0.5 * (exp(dw) * widths.unsqueeze(1));
        var halfH = 0.5 * (exp(dh) * heights.unsqueeze(1));
        var decoded = stack([predCtrX - halfW, predCtrY - halfH, predCtrX + halfW, predCtrY + halfH], 2);   // [R, K, 4]
        return decoded.MoveToOuterDisposeScope();
    }

    /// <returns>Center x, center y, width, height, each [R, 1], computed as torchvision's encode_boxes does.</returns>
    private static (Tensor X, Tensor Y, Tensor W, Tensor H) Centers(Tensor boxes)
    {
        var x1 = boxes[.., 0].unsqueeze(1);
        var y1 = boxes[.., 1].unsqueeze(1);
        var width = boxes[.., 2].unsqueeze(1) - x1;
        var height = boxes[.., 3].unsqueeze(1) - y1;
        return (x1 + 0.5 * width, y1 + 0.5 * height, width, height);
    }
}
