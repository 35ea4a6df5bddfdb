namespace Scrl.Core.Augment;

/// <summary>Every random choice made for one view of one image.</summary>
/// <param name="Geometry">Crop in ORIGINAL pixels and whether the view is flipped horizontally.</param>
/// <param name="ColorJitter">Jitter factors, or null when colour jitter is not applied.</param>
/// <param name="Grayscale">Whether the view is turned gray (3 channels).</param>
/// <param name="BlurStrength">Null for no blur; otherwise the ResizeBlur downscale factor or the Gaussian sigma,
/// as <see cref="AugmentOptions.BlurMethod"/> says.</param>
/// <param name="Solarize">Whether bright values are inverted (PIL solarize at level 128).</param>
public sealed record ViewParameters(
    ViewGeometry Geometry, ColorJitterParameters? ColorJitter, bool Grayscale, double? BlurStrength, bool Solarize);

/// <summary>The four ColorJitter ops, numbered as torchvision's <c>fn_idx</c>.</summary>
public enum ColorJitterOp { Brightness = 0, Contrast = 1, Saturation = 2, Hue = 3 }

/// <summary>One image's ColorJitter draw: the order the ops run in and their factors.</summary>
/// <param name="Order">A permutation of the four ops.</param>
/// <param name="Hue">Hue shift in turns, in [-0.5, 0.5].</param>
public sealed record ColorJitterParameters(
    IReadOnlyList<ColorJitterOp> Order, double Brightness, double Contrast, double Saturation, double Hue)
{
    public double FactorOf(ColorJitterOp op) => op switch
    {
        ColorJitterOp.Brightness => Brightness,
        ColorJitterOp.Contrast => Contrast,
        ColorJitterOp.Saturation => Saturation,
        ColorJitterOp.Hue => Hue,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown colour jitter op"),
    };
}
