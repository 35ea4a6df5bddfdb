using static TorchSharp.torch;

namespace Scrl.Core.Augment;

/// <summary>
/// torchvision's tensor colour ops (transforms/functional_tensor.py, 0.14) on a float batch in [0, 1], each
/// sample with its own factor.
/// </summary>
/// <remarks>
/// Shapes: B images, H x W pixels. Images are [B, 3, H, W] float; factors are [B] on the images' device.
/// The official pipeline runs these ops on PIL uint8 images, quantising after every op; we stay in float, so
/// values differ from it by up to about one uint8 step. The difference is deliberate: it avoids a uint8 round
/// trip after every op.
/// </remarks>
public static class ColorOps
{
    // rgb_to_grayscale weights (torchvision, after TensorFlow).
    private const double RedWeight = 0.2989, GreenWeight = 0.587, BlueWeight = 0.114;

    /// <summary>
    /// Solarize threshold. PIL inverts uint8 levels v >= 128 (v -> 255 - v). Our float x stands for the level
    /// round(255 x) that PIL would hold, and round(255 x) >= 128 exactly when x >= 127.5 / 255 = 0.5. So 0.5,
    /// not 128/255, which would leave x in [127.5/255, 128/255) uninverted although PIL inverts its level 128.
    /// </summary>
    public const double SolarizeThreshold = 0.5;

    /// <summary><c>adjust_brightness</c>: clamp(f * x, 0, 1).</summary>
    public static Tensor Brightness(Tensor images, Tensor factors)
    {
        using var scope = NewDisposeScope();
        return (images * PerSample(factors)).clamp(0, 1).MoveToOuterDisposeScope();
    }

    /// <summary><c>adjust_contrast</c>: blend with the mean gray level of each image.</summary>
    public static Tensor Contrast(Tensor images, Tensor factors)
    {
        using var scope = NewDisposeScope();
        var mean = GrayLevel(images).mean([-3, -2, -1], keepdim: true);   // [B, 1, 1, 1]
        return Blend(images, mean, PerSample(factors)).MoveToOuterDisposeScope();
    }

    /// <summary><c>adjust_saturation</c>: blend with the gray image.</summary>
    public static Tensor Saturation(Tensor images, Tensor factors)
    {
        using var scope = NewDisposeScope();
        return Blend(images, GrayLevel(images), PerSample(factors)).MoveToOuterDisposeScope();
    }

    /// <summary><c>rgb_to_grayscale(num_output_channels=3)</c>.</summary>
    public static Tensor Grayscale(Tensor images)
    {
        using var scope = NewDisposeScope();
        return GrayLevel(images).expand_as(images).contiguous().MoveToOuterDisposeScope();   // [B, 3, H, W]
    }

    /// <summary>Gray where <paramref name="mask"/> [B] (bool) is set, unchanged elsewhere.</summary>
    public static Tensor GrayscaleWhere(Tensor images, Tensor mask)
    {
        using var scope = NewDisposeScope();
        return where(PerSample(mask), GrayLevel(images), images).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// PIL <c>ImageOps.solarize(img, 128)</c> on the float image where <paramref name="mask"/> [B] is set.
    /// Exact for values that are multiples of 1/255; other values act like their nearest uint8 level.
    /// </summary>
    public static Tensor SolarizeWhere(Tensor images, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var invert = PerSample(mask).logical_and(images >= SolarizeThreshold);   // [B, 3, H, W]
        return where(invert, 1.0 - images, images).MoveToOuterDisposeScope();
    }

    /// <summary>(x - mean) / std per channel; mean and std are RGB triples.</summary>
    public static Tensor Normalize(Tensor images, IReadOnlyList<double> mean, IReadOnlyList<double> std)
    {
        using var scope = NewDisposeScope();
        var m = tensor(mean.ToArray(), dtype: images.dtype, device: images.device).view(1, 3, 1, 1);
        var s = tensor(std.ToArray(), dtype: images.dtype, device: images.device).view(1, 3, 1, 1);
        return ((images - m) / s).MoveToOuterDisposeScope();
    }

    /// <summary>Luma, [B, 1, H, W].</summary>
    internal static Tensor GrayLevel(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] != 3)
            throw new ArgumentException($"expected RGB images [B, 3, H, W], got [{string.Join(", ", images.shape)}]", nameof(images));
        var rgb = images.unbind(1);
        return (RedWeight * rgb[0] + GreenWeight * rgb[1] + BlueWeight * rgb[2]).unsqueeze(1);   // [B, 1, H, W]
    }

    /// <summary>torchvision _blend: clamp(r * a + (1 - r) * b, 0, 1).</summary>
    private static Tensor Blend(Tensor a, Tensor b, Tensor ratio) => (ratio * a + (1.0 - ratio) * b).clamp(0, 1);

    /// <summary>[B] -> [B, 1, 1, 1] so a per-sample value broadcasts over its image.</summary>
    internal static Tensor PerSample(Tensor values) => values.view(-1, 1, 1, 1);
}
