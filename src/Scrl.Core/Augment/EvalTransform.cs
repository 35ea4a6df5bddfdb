using static TorchSharp.torch;

namespace Scrl.Core.Augment;

/// <summary>
/// The deterministic validation transform (<c>get_center_crop_transforms</c>): bicubic resize of the shorter
/// side to round(S * 256 / 224), centre crop S, normalize.
/// </summary>
/// <remarks>Shapes: B images, S = <see cref="AugmentOptions.InputSize"/>. Inputs are uint8 [3, H_b, W_b].</remarks>
public sealed class EvalTransform
{
    private readonly AugmentOptions _options;

    public EvalTransform(AugmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <returns>[B, 3, S, S] float, normalized, on the images' device.</returns>
    public Tensor Apply(IReadOnlyList<Tensor> imagesUint8)
    {
        ArgumentNullException.ThrowIfNull(imagesUint8);
        if (imagesUint8.Count == 0) throw new ArgumentException("need at least one image", nameof(imagesUint8));
        using var scope = NewDisposeScope();
        var crops = imagesUint8.Select(image =>
            Resampling.CenterCrop(Resampling.ResizeShorterSide(image, _options.EvalResizeSize), _options.InputSize)).ToArray();
        var batch = cat(crops, 0);   // [B, 3, S, S]
        return ColorOps.Normalize(batch, _options.NormalizeMean, _options.NormalizeStd).MoveToOuterDisposeScope();
    }
}
