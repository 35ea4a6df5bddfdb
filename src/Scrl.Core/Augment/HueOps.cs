using static TorchSharp.torch;

namespace Scrl.Core.Augment;

/// <summary>
/// Per-sample hue shift with torchvision 0.14's <c>adjust_hue</c> semantics (its <c>_rgb2hsv</c> / <c>_hsv2rgb</c>,
/// after Pillow's Convert.c), so each image of a batch can get its own shift.
/// </summary>
/// <remarks>
/// Shapes: B images; images are [B, 3, H, W] float in [0, 1]. A hue shift keeps each pixel's largest channel
/// v = max(r, g, b) and its chroma c = v - min(r, g, b) (saturation s = c / v), so the hue is the only HSV channel
/// computed. The way back is the closed form of <c>_hsv2rgb</c>'s six-sector table: channel n (R = 5, G = 3, B = 1)
/// is v - c * clamp(min(k, 4 - k), 0, 1) with k = (n + 6h) mod 6, which gives v, v(1 - s f), v(1 - s) or
/// v(1 - s (1 - f)) in exactly the sectors where the table does. Same values up to float rounding, in a third of
/// the tensor ops and without the table's [B, 3, 6, H, W] stack: hue is most of a colour jitter's cost.
/// </remarks>
public static class HueOps
{
    /// <summary><c>adjust_hue</c>: h = (h + shift) mod 1 in HSV space.</summary>
    /// <param name="shifts">Hue shift per image in turns, [B], each in [-0.5, 0.5].</param>
    public static Tensor AdjustHue(Tensor images, Tensor shifts)
    {
        using var scope = NewDisposeScope();
        var maxc = images.amax([1], keepdim: true);                              // [B, 1, H, W]
        var chroma = maxc - images.amin([1], keepdim: true);
        var hue = (Hue(images, maxc, chroma) + shifts.view(-1, 1, 1, 1)).remainder(1.0);
        // k = (n + 6h) mod 6 for n = 5, 3, 1; min(k, 4 - k) = 2 - |k - 2|.
        var sectors = arange(5.0, 0.0, -2.0, dtype: images.dtype, device: images.device).view(1, 3, 1, 1);
        var k = (hue * 6.0 + sectors).remainder_(6.0);                           // [B, 3, H, W]
        var weight = k.sub_(2.0).abs_().neg_().add_(2.0).clamp_(0.0, 1.0);
        return (maxc - chroma * weight).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// torchvision's hue in [0, 1) from the largest channel and the chroma, [B, 1, H, W]; 0 where the pixel is gray.
    /// </summary>
    private static Tensor Hue(Tensor images, Tensor maxc, Tensor chroma)
    {
        using var scope = NewDisposeScope();
        // Where max == min the hue is 0 whatever the divisor, so 1 keeps the division finite.
        var divisor = where(chroma == 0, ones_like(chroma), chroma);
        var distance = (maxc - images) / divisor;                               // rc, gc, bc: [B, 3, H, W]
        var (rc, gc, bc) = (distance.narrow(1, 0, 1), distance.narrow(1, 1, 1), distance.narrow(1, 2, 1));
        var isR = maxc == images.narrow(1, 0, 1);                                // [B, 1, H, W]
        var isG = maxc == images.narrow(1, 1, 1);
        // torchvision sums three masked terms of which exactly one is live: red wins ties, then green.
        var h = where(isR, bc - gc, where(isG, 2.0 + rc - bc, 4.0 + gc - rc));
        return h.div_(6.0).add_(1.0).fmod_(1.0).MoveToOuterDisposeScope();
    }
}
