using static TorchSharp.torch;

namespace Scrl.Core.Augment;

/// <summary>
/// Per-sample hue shift: a port of torchvision 0.14's <c>_rgb2hsv</c> / <c>_hsv2rgb</c> tensor code (itself
/// after Pillow's Convert.c), so each image of a batch can get its own shift.
/// </summary>
/// <remarks>Shapes: B images; images are [B, 3, H, W] float in [0, 1].</remarks>
public static class HueOps
{
    /// <summary><c>adjust_hue</c>: h = (h + shift) mod 1 in HSV space.</summary>
    /// <param name="shifts">Hue shift per image in turns, [B], each in [-0.5, 0.5].</param>
    public static Tensor AdjustHue(Tensor images, Tensor shifts)
    {
        using var scope = NewDisposeScope();
        var hsv = RgbToHsv(images).unbind(1);                                  // 3 x [B, H, W]
        var hue = (hsv[0] + shifts.view(-1, 1, 1)).remainder(1.0);             // [B, H, W]
        return HsvToRgb(stack([hue, hsv[1], hsv[2]], 1)).MoveToOuterDisposeScope();
    }

    /// <summary>RGB -> HSV, all channels in [0, 1]; gray pixels get h = s = 0.</summary>
    public static Tensor RgbToHsv(Tensor images)
    {
        using var scope = NewDisposeScope();
        var rgb = images.unbind(1);                                            // 3 x [B, H, W]
        var (r, g, b) = (rgb[0], rgb[1], rgb[2]);
        var maxc = images.amax(1);                                             // [B, H, W]
        var minc = images.amin(1);
        // Where max == min, h and s are 0 whatever the divisor, so 1 keeps the division finite.
        var gray = maxc == minc;
        var ones = ones_like(maxc);
        var chroma = maxc - minc;
        var s = chroma / where(gray, ones, maxc);
        var divisor = where(gray, ones, chroma);
        var rc = (maxc - r) / divisor;
        var gc = (maxc - g) / divisor;
        var bc = (maxc - b) / divisor;
        var isR = maxc == r;
        var isG = (maxc == g).logical_and(isR.logical_not());
        var isB = (maxc != g).logical_and(isR.logical_not());
        var h = isR * (bc - gc) + isG * (2.0 + rc - bc) + isB * (4.0 + gc - rc);
        h = (h / 6.0 + 1.0).fmod(1.0);
        return stack([h, s, maxc], 1).MoveToOuterDisposeScope();               // [B, 3, H, W]
    }

    /// <summary>HSV -> RGB, the inverse of <see cref="RgbToHsv"/>.</summary>
    public static Tensor HsvToRgb(Tensor hsvImages)
    {
        using var scope = NewDisposeScope();
        var hsv = hsvImages.unbind(1);                                         // 3 x [B, H, W]
        var (h, s, v) = (hsv[0], hsv[1], hsv[2]);
        var sector = (h * 6.0).floor();
        var f = h * 6.0 - sector;
        var i = sector.to(ScalarType.Int64).remainder(6);                      // [B, H, W] sector 0..5
        var p = (v * (1.0 - s)).clamp(0.0, 1.0);
        var q = (v * (1.0 - s * f)).clamp(0.0, 1.0);
        var t = (v * (1.0 - s * (1.0 - f))).clamp(0.0, 1.0);
        var candidates = stack([
            stack([v, q, p, p, t, v], 1),                                      // red per sector, [B, 6, H, W]
            stack([t, v, v, q, p, p], 1),                                      // green
            stack([p, p, t, v, v, q], 1),                                      // blue
        ], 1);                                                                 // [B, 3, 6, H, W]
        // torchvision sums one-hot sector masks times candidates; picking the one sector is the same, cheaper.
        var index = i.unsqueeze(1).unsqueeze(2).expand(-1, 3, 1, -1, -1);      // [B, 3, 1, H, W]
        return candidates.gather(2, index).squeeze(2).MoveToOuterDisposeScope(); // [B, 3, H, W]
    }
}
