using static TorchSharp.torch;

namespace Scrl.Core.Augment;

/// <summary>
/// Crops and resizes like PIL's BICUBIC resize, which the official pipeline uses: antialiased when shrinking,
/// kernel a = -0.5. torch's bicubic interpolate with <c>antialias: true</c> uses that kernel in both directions.
/// </summary>
/// <remarks>
/// Shapes: B images. Results are clamped to [0, 1] because PIL's uint8 output saturates the bicubic overshoot.
/// </remarks>
public static class Resampling
{
    /// <summary>Bicubic antialiased resize of [B, C, H, W] float to [B, C, height, width].</summary>
    public static Tensor ResizeBicubic(Tensor images, long height, long width)
    {
        using var scope = NewDisposeScope();
        return Bicubic(images, height, width).clamp(0, 1).MoveToOuterDisposeScope();   // [B, C, height, width]
    }

    /// <summary>
    /// Crops each uint8 [3, H_b, W_b] image (geometry in its pixels; the flip is ignored) and resizes the crop to
    /// <paramref name="size"/> x <paramref name="size"/>, as PIL does the reference's RandomResizedCrop.
    /// </summary>
    /// <returns>[B, 3, size, size] float in [0, 1].</returns>
    /// <remarks>
    /// Resizes the uint8 pixels themselves: libtorch then runs Pillow-SIMD's algorithm (fixed-point weights, each pass
    /// rounded and saturated to uint8), which gives PIL's pixels but for an occasional one-level rounding difference and
    /// is 2-4x faster than resizing floats, which differ from PIL by up to four levels. The batch is scaled to [0, 1]
    /// once, as ToTensor would scale each crop.
    /// </remarks>
    public static Tensor CropAndResize(IReadOnlyList<Tensor> imagesUint8, IReadOnlyList<ViewGeometry> crops, long size)
    {
        if (imagesUint8.Count == 0 || imagesUint8.Count != crops.Count)
            throw new ArgumentException($"{imagesUint8.Count} images and {crops.Count} crops; need as many, at least one");
        using var scope = NewDisposeScope();
        var resized = new Tensor[imagesUint8.Count];
        for (int n = 0; n < resized.Length; n++)
        {
            var (image, crop) = (imagesUint8[n], crops[n]);
            CheckImage(image);
            if (crop.Top < 0 || crop.Left < 0 || crop.Height < 1 || crop.Width < 1 ||
                crop.Top + crop.Height > image.shape[1] || crop.Left + crop.Width > image.shape[2])
                throw new ArgumentOutOfRangeException(nameof(crops), crop, $"crop {n} is outside its image [{string.Join(", ", image.shape)}]");
            var patch = image.narrow(1, crop.Top, crop.Height).narrow(2, crop.Left, crop.Width);   // [3, h, w] uint8
            resized[n] = Bicubic(patch.unsqueeze(0), size, size);                                  // [1, 3, size, size] uint8
        }
        return ToUnitFloat(cat(resized, 0)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// torchvision <c>Resize(size)</c> with an int size: the shorter side becomes <paramref name="shorter"/>,
    /// the longer one int(shorter * long / short).
    /// </summary>
    /// <returns>[1, 3, H', W'] float in [0, 1].</returns>
    public static Tensor ResizeShorterSide(Tensor imageUint8, int shorter)
    {
        CheckImage(imageUint8);
        using var scope = NewDisposeScope();
        long h = imageUint8.shape[1], w = imageUint8.shape[2];
        long longer = (long)((double)shorter * Math.Max(h, w) / Math.Min(h, w));
        (long newH, long newW) = h <= w ? ((long)shorter, longer) : (longer, (long)shorter);
        return ResizeBicubic(ToUnitFloat(imageUint8).unsqueeze(0), newH, newW).MoveToOuterDisposeScope();
    }

    /// <summary>torchvision <c>CenterCrop</c> of [B, C, H, W]: offsets int(round((H - size) / 2)).</summary>
    public static Tensor CenterCrop(Tensor images, long size)
    {
        long h = images.shape[^2], w = images.shape[^1];
        if (h < size || w < size) throw new ArgumentException($"image {h}x{w} is smaller than the crop {size}", nameof(images));
        long top = (long)Math.Round((h - size) / 2.0), left = (long)Math.Round((w - size) / 2.0);
        return images.narrow(-2, top, size).narrow(-1, left, size);   // [B, C, size, size]
    }

    /// <summary>Horizontal flip of the images where <paramref name="mask"/> [B] (bool) is set.</summary>
    public static Tensor FlipWhere(Tensor images, Tensor mask)
    {
        using var scope = NewDisposeScope();
        return where(ColorOps.PerSample(mask), images.flip(-1), images).MoveToOuterDisposeScope();
    }

    /// <summary>uint8 [0, 255] -> float32 [0, 1], as ToTensor.</summary>
    public static Tensor ToUnitFloat(Tensor imageUint8)
    {
        using var scope = NewDisposeScope();
        return (imageUint8.to(ScalarType.Float32) / 255.0f).MoveToOuterDisposeScope();
    }

    // PIL's BICUBIC: the a = -0.5 kernel, widened when shrinking. Floats come out unclamped (any value range works);
    // uint8 comes out rounded and saturated per pass, as from PIL.
    private static Tensor Bicubic(Tensor images, long height, long width) =>
        nn.functional.interpolate(images, [height, width], mode: InterpolationMode.Bicubic, align_corners: false, antialias: true);

    private static void CheckImage(Tensor image)
    {
        if (image.dtype != ScalarType.Byte || image.dim() != 3 || image.shape[0] != 3)
            throw new ArgumentException($"expected a uint8 RGB image [3, H, W], got {image.dtype} [{string.Join(", ", image.shape)}]", nameof(image));
    }
}
