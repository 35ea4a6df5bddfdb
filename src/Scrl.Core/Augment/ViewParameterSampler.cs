using Scrl.Core.Randomness;

namespace Scrl.Core.Augment;

/// <summary>
/// Draws one view's parameters from one sample's random source. The draw order is part of the
/// reproducibility contract (same seed, epoch and index give the same view) and follows the official pipeline:
/// crop (<see cref="CropSampler"/>), flip, jitter on/off, [order (Fisher-Yates), brightness, contrast,
/// saturation, hue], grayscale, blur on/off, [blur strength], solarize.
/// </summary>
public sealed class ViewParameterSampler
{
    private readonly AugmentOptions _options;
    private readonly CropSampler _crops;

    public ViewParameterSampler(AugmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _crops = new CropSampler(options);
    }

    public ViewParameters Sample(IRandomSource rng, int height, int width, ViewProbabilities probabilities)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(probabilities);
        var geometry = _crops.Sample(rng, height, width) with { Flipped = rng.Bernoulli(probabilities.HorizontalFlip) };
        return SampleAppearance(rng, geometry, probabilities);
    }

    /// <summary>The photometric draws only (jitter on, from the jitter draws on), for a view whose crop and flip are
    /// already decided.</summary>
    public ViewParameters SampleAppearance(IRandomSource rng, ViewGeometry geometry, ViewProbabilities probabilities)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(probabilities);
        var jitter = rng.Bernoulli(probabilities.ColorJitter) ? SampleJitter(rng) : null;
        bool gray = rng.Bernoulli(probabilities.Grayscale);
        double? blur = rng.Bernoulli(probabilities.Blur) ? SampleBlurStrength(rng) : null;
        bool solarize = rng.Bernoulli(probabilities.Solarize);
        return new ViewParameters(geometry, jitter, gray, blur, solarize);
    }

    private ColorJitterParameters SampleJitter(IRandomSource rng)
    {
        var order = new[] { ColorJitterOp.Brightness, ColorJitterOp.Contrast, ColorJitterOp.Saturation, ColorJitterOp.Hue };
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(0, i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        var s = _options.ColorJitter;
        return new ColorJitterParameters(order,
            Brightness: rng.Uniform(Math.Max(0, 1 - s.Brightness), 1 + s.Brightness),
            Contrast: rng.Uniform(Math.Max(0, 1 - s.Contrast), 1 + s.Contrast),
            Saturation: rng.Uniform(Math.Max(0, 1 - s.Saturation), 1 + s.Saturation),
            Hue: rng.Uniform(-s.Hue, s.Hue));
    }

    private double SampleBlurStrength(IRandomSource rng) => _options.BlurMethod switch
    {
        BlurMethod.Resize => _options.ResizeBlurFactors[rng.NextInt(0, _options.ResizeBlurFactors.Count)],
        BlurMethod.Gaussian => rng.Uniform(_options.GaussianSigma[0], _options.GaussianSigma[1]),
        _ => throw new InvalidOperationException($"unknown blur method {_options.BlurMethod}"),
    };
}
