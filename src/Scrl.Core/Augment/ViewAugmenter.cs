using static TorchSharp.torch;

namespace Scrl.Core.Augment;

/// <summary>
/// Renders one view per image from drawn <see cref="ViewParameters"/>: crop + bicubic resize per image (sizes
/// differ), then flip, colour jitter, grayscale, blur, solarize and normalize on the whole batch.
/// </summary>
/// <remarks>Shapes: B images, S = <see cref="AugmentOptions.InputSize"/>. Inputs are uint8 [3, H_b, W_b].</remarks>
public sealed class ViewAugmenter
{
    private readonly AugmentOptions _options;

    public ViewAugmenter(AugmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    /// <param name="imagesUint8">B uint8 images [3, H_b, W_b], all on one device.</param>
    /// <param name="parameters">One draw per image.</param>
    /// <returns>Normalized views [B, 3, S, S] float on the images' device.</returns>
    public Tensor Render(IReadOnlyList<Tensor> imagesUint8, IReadOnlyList<ViewParameters> parameters)
    {
        ArgumentNullException.ThrowIfNull(imagesUint8);
        ArgumentNullException.ThrowIfNull(parameters);
        if (imagesUint8.Count == 0 || imagesUint8.Count != parameters.Count)
            throw new ArgumentException($"{imagesUint8.Count} images and {parameters.Count} view draws; need as many, at least one");
        using var scope = NewDisposeScope();
        var device = imagesUint8[0].device;
        var views = Resampling.CropAndResize(imagesUint8, [.. parameters.Select(p => p.Geometry)], _options.InputSize);   // [B, 3, S, S]
        views = Then(views, Resampling.FlipWhere(views, Mask(parameters, p => p.Geometry.Flipped, device)));
        views = Then(views, ColorJitter.Apply(views, parameters.Select(p => p.ColorJitter).ToList()));
        views = Then(views, ColorOps.GrayscaleWhere(views, Mask(parameters, p => p.Grayscale, device)));
        views = Then(views, Blur(views, parameters.Select(p => p.BlurStrength).ToList()));
        views = Then(views, ColorOps.SolarizeWhere(views, Mask(parameters, p => p.Solarize, device)));
        return ColorOps.Normalize(views, _options.NormalizeMean, _options.NormalizeStd).MoveToOuterDisposeScope();
    }

    // Frees each stage's output once the next stage has read it, rather than all of them with the scope: the pages a
    // batch touches are what the loader pays for again after every step hands free memory back to the OS.
    private static Tensor Then(Tensor previous, Tensor next)
    {
        if (!ReferenceEquals(previous, next)) previous.Dispose();
        return next;
    }

    private Tensor Blur(Tensor views, IReadOnlyList<double?> strengths) => _options.BlurMethod switch
    {
        BlurMethod.Resize => ResizeBlur.Apply(views, strengths),
        BlurMethod.Gaussian => GaussianBlur.Apply(views, _options.GaussianKernelSize, strengths),
        _ => throw new InvalidOperationException($"unknown blur method {_options.BlurMethod}"),
    };

    private static Tensor Mask(IReadOnlyList<ViewParameters> parameters, Func<ViewParameters, bool> flag, Device device) =>
        tensor(parameters.Select(flag).ToArray(), device: device);   // [B] bool
}
