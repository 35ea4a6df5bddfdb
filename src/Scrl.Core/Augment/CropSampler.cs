using Scrl.Core.Randomness;

namespace Scrl.Core.Augment;

/// <summary>
/// Draws a random resized crop exactly as torchvision's <c>RandomResizedCrop.get_params</c> does, with our own
/// random source instead of torch's generator.
/// </summary>
public sealed class CropSampler
{
    private const int Attempts = 10;
    private readonly double _scaleMin, _scaleMax, _ratioMin, _ratioMax;

    public CropSampler(AugmentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (_scaleMin, _scaleMax) = (options.CropScale[0], options.CropScale[1]);
        (_ratioMin, _ratioMax) = (options.CropRatio[0], options.CropRatio[1]);
    }

    /// <summary>
    /// Draws up to 10 (area fraction, log aspect ratio) pairs, then the top-left corner of the first crop
    /// that fits; if none fits, a centre crop with the aspect ratio clamped into range.
    /// </summary>
    /// <returns>The crop in ORIGINAL image pixels, not flipped.</returns>
    public ViewGeometry Sample(IRandomSource rng, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        double area = (double)height * width;
        double logRatioMin = Math.Log(_ratioMin), logRatioMax = Math.Log(_ratioMax);
        for (int attempt = 0; attempt < Attempts; attempt++)
        {
            double targetArea = area * rng.Uniform(_scaleMin, _scaleMax);
            double aspect = Math.Exp(rng.Uniform(logRatioMin, logRatioMax));
            // Python round() rounds half to even, as Math.Round does by default.
            int w = (int)Math.Round(Math.Sqrt(targetArea * aspect));
            int h = (int)Math.Round(Math.Sqrt(targetArea / aspect));
            if (w > 0 && w <= width && h > 0 && h <= height)
            {
                int top = rng.NextInt(0, height - h + 1);
                int left = rng.NextInt(0, width - w + 1);
                return new ViewGeometry(top, left, h, w, Flipped: false);
            }
        }
        return CentreCrop(height, width);
    }

    private ViewGeometry CentreCrop(int height, int width)
    {
        double inRatio = (double)width / height;
        int w = width, h = height;
        if (inRatio < _ratioMin) h = (int)Math.Round(w / _ratioMin);
        else if (inRatio > _ratioMax) w = (int)Math.Round(h * _ratioMax);
        return new ViewGeometry((height - h) / 2, (width - w) / 2, h, w, Flipped: false);
    }
}
