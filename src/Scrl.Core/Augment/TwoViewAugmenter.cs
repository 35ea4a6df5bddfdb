using Scrl.Core.Randomness;
using static TorchSharp.torch;

namespace Scrl.Core.Augment;

/// <summary>
/// SCRL's (and BYOL's) asymmetric two-view augmentation. Each image has its own random source, from which
/// view 1's parameters are drawn first and view 2's next (order in <see cref="ViewParameterSampler"/>), so
/// views are reproducible from (seed, epoch, sample index) whatever the batch composition.
/// </summary>
/// <remarks>Shapes: B images, S = <see cref="AugmentOptions.InputSize"/>. Inputs are uint8 [3, H_b, W_b].</remarks>
public sealed class TwoViewAugmenter : ITwoViewAugmenter
{
    private readonly AugmentOptions _options;
    private readonly ViewParameterSampler _sampler;
    private readonly ViewAugmenter _renderer;

    public TwoViewAugmenter(AugmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0) throw new ArgumentException("invalid augment options: " + string.Join("; ", errors), nameof(options));
        _options = options;
        _sampler = new ViewParameterSampler(options);
        _renderer = new ViewAugmenter(options);
    }

    /// <summary>Both views of every image; draws view 1 then view 2 from each image's source.</summary>
    public TwoViews Apply(IReadOnlyList<Tensor> imagesUint8, IReadOnlyList<IRandomSource> perSampleRng)
    {
        CheckCounts(imagesUint8, perSampleRng);
        var draws1 = new ViewParameters[imagesUint8.Count];
        var draws2 = new ViewParameters[imagesUint8.Count];
        for (int n = 0; n < imagesUint8.Count; n++)
        {
            var (h, w) = SizeOf(imagesUint8[n]);
            draws1[n] = _sampler.Sample(perSampleRng[n], h, w, _options.View1);
            draws2[n] = _sampler.Sample(perSampleRng[n], h, w, _options.View2);
        }
        using var scope = NewDisposeScope();
        var view1 = _renderer.Render(imagesUint8, draws1);   // [B, 3, S, S]
        var view2 = _renderer.Render(imagesUint8, draws2);   // [B, 3, S, S]
        return new TwoViews(view1.MoveToOuterDisposeScope(), view2.MoveToOuterDisposeScope(),
                            draws1.Select(d => d.Geometry).ToArray(), draws2.Select(d => d.Geometry).ToArray());
    }

    /// <summary>One view per image with the given probabilities (e.g. <see cref="AugmentOptions.View1"/>).</summary>
    public AugmentedView ApplyView(IReadOnlyList<Tensor> imagesUint8, IReadOnlyList<IRandomSource> perSampleRng,
                                   ViewProbabilities probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        CheckCounts(imagesUint8, perSampleRng);
        var draws = imagesUint8.Select((image, n) =>
        {
            var (h, w) = SizeOf(image);
            return _sampler.Sample(perSampleRng[n], h, w, probabilities);
        }).ToArray();
        return new AugmentedView(_renderer.Render(imagesUint8, draws), draws.Select(d => d.Geometry).ToArray());
    }

    private static (int Height, int Width) SizeOf(Tensor image) =>
        image.dim() == 3 ? ((int)image.shape[1], (int)image.shape[2])
                         : throw new ArgumentException($"expected an image [3, H, W], got [{string.Join(", ", image.shape)}]", nameof(image));

    private static void CheckCounts(IReadOnlyList<Tensor> images, IReadOnlyList<IRandomSource> rngs)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(rngs);
        if (images.Count == 0 || images.Count != rngs.Count)
            throw new ArgumentException($"{images.Count} images and {rngs.Count} random sources; need as many, at least one");
    }
}
