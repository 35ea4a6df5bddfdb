using Scrl.Core.Randomness;
using static TorchSharp.torch;

namespace Scrl.Core.Augment;

/// <summary>
/// The input-level consistency of the paper's appendix J: both views are cut from the same region (one random
/// resized crop, or the whole image) with the same flip, so they show the same content; each is then rendered with
/// its own photometric draws (<see cref="AugmentOptions.View1"/>, <see cref="AugmentOptions.View2"/>), squeezed to its
/// own random aspect ratio and mean-padded back to the square input (<see cref="AspectPadding"/>).
/// </summary>
/// <remarks>
/// Per image, draws come from its own source in this order: crop (unless the whole image), flip (view 1's
/// probability, shared), view 1's photometric draws, view 1's aspect, view 2's photometric draws, view 2's aspect.
/// Shapes: B images, S = <see cref="AugmentOptions.InputSize"/>. Inputs are uint8 [3, H_b, W_b].
/// </remarks>
public sealed class InputConsistentAugmenter : ITwoViewAugmenter
{
    private readonly AugmentOptions _augment;
    private readonly InputConsistencyOptions _consistency;
    private readonly CropSampler _crops;
    private readonly ViewParameterSampler _sampler;
    private readonly ViewAugmenter _renderer;

    public InputConsistentAugmenter(AugmentOptions augment, InputConsistencyOptions consistency)
    {
        ArgumentNullException.ThrowIfNull(augment);
        ArgumentNullException.ThrowIfNull(consistency);
        var errors = augment.Validate().Concat(consistency.Validate()).ToList();
        if (errors.Count > 0) throw new ArgumentException("invalid augment options: " + string.Join("; ", errors), nameof(augment));
        _augment = augment;
        _consistency = consistency;
        _crops = new CropSampler(augment);
        _sampler = new ViewParameterSampler(augment);
        _renderer = new ViewAugmenter(augment);
    }

    public TwoViews Apply(IReadOnlyList<Tensor> imagesUint8, IReadOnlyList<IRandomSource> perSampleRng)
    {
        ArgumentNullException.ThrowIfNull(imagesUint8);
        ArgumentNullException.ThrowIfNull(perSampleRng);
        if (imagesUint8.Count == 0 || imagesUint8.Count != perSampleRng.Count)
            throw new ArgumentException($"{imagesUint8.Count} images and {perSampleRng.Count} random sources; need as many, at least one");
        int count = imagesUint8.Count;
        var (draws1, draws2) = (new ViewParameters[count], new ViewParameters[count]);
        var (aspects1, aspects2) = (new double[count], new double[count]);
        for (int n = 0; n < count; n++)
        {
            var (rng, image) = (perSampleRng[n], imagesUint8[n]);
            if (image.dim() != 3) throw new ArgumentException($"expected an image [3, H, W], got [{string.Join(", ", image.shape)}]", nameof(imagesUint8));
            int height = (int)image.shape[1], width = (int)image.shape[2];
            var crop = _consistency.WholeImage ? new ViewGeometry(0, 0, height, width, Flipped: false) : _crops.Sample(rng, height, width);
            // One flip for both: a mirrored view would show the content elsewhere.
            var geometry = crop with { Flipped = rng.Bernoulli(_augment.View1.HorizontalFlip) };
            draws1[n] = _sampler.SampleAppearance(rng, geometry, _augment.View1);
            aspects1[n] = SampleAspect(rng);
            draws2[n] = _sampler.SampleAppearance(rng, geometry, _augment.View2);
            aspects2[n] = SampleAspect(rng);
        }
        using var scope = NewDisposeScope();
        var view1 = AspectPadding.Apply(_renderer.Render(imagesUint8, draws1), aspects1);   // [B, 3, S, S]
        var view2 = AspectPadding.Apply(_renderer.Render(imagesUint8, draws2), aspects2);   // [B, 3, S, S]
        var geometries = draws1.Select(d => d.Geometry).ToArray();
        return new TwoViews(view1.MoveToOuterDisposeScope(), view2.MoveToOuterDisposeScope(), geometries, geometries);
    }

    // Log-uniform, as RandomResizedCrop draws its aspect.
    private double SampleAspect(IRandomSource rng) =>
        Math.Exp(rng.Uniform(Math.Log(_consistency.AspectRatio[0]), Math.Log(_consistency.AspectRatio[1])));
}
