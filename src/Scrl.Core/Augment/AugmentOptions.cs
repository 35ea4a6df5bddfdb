using Scrl.Core.Configuration;

namespace Scrl.Core.Augment;

/// <summary>
/// The SCRL view pipeline (scrl-reference.md section 1, Table A1): random resized crop, flip, colour jitter,
/// grayscale, blur, solarize, normalize. Defaults are the official code's.
/// </summary>
public sealed record AugmentOptions
{
    /// <summary>Side of the square views, in pixels.</summary>
    public int InputSize { get; init; } = 224;

    /// <summary>Crop area as a fraction of the image area, [min, max].</summary>
    public IReadOnlyList<double> CropScale { get; init; } = [0.2, 1.0];

    /// <summary>Crop aspect ratio width/height, [min, max] (torchvision default).</summary>
    public IReadOnlyList<double> CropRatio { get; init; } = [3.0 / 4.0, 4.0 / 3.0];

    public BlurMethod BlurMethod { get; init; } = BlurMethod.Resize;

    /// <summary>ResizeBlur downscale factors; one is picked uniformly (official: levels 0..2 of max_level 3).</summary>
    public IReadOnlyList<double> ResizeBlurFactors { get; init; } = [1.1, 1.2, 1.5];

    /// <summary>Gaussian blur sigma range, [min, max].</summary>
    public IReadOnlyList<double> GaussianSigma { get; init; } = [0.1, 2.0];

    public ViewProbabilities View1 { get; init; } = ViewProbabilities.View1;
    public ViewProbabilities View2 { get; init; } = ViewProbabilities.View2;
    public ColorJitterStrengths ColorJitter { get; init; } = new();

    public IReadOnlyList<double> NormalizeMean { get; init; } = [0.485, 0.456, 0.406];
    public IReadOnlyList<double> NormalizeStd { get; init; } = [0.229, 0.224, 0.225];

    /// <summary>torchvision GaussianBlur needs an odd kernel: int(0.1 * size), plus one when even (224 -> 23).</summary>
    public int GaussianKernelSize => (int)(0.1 * InputSize) | 1;

    /// <summary>Shorter side before the eval centre crop: round(S * 256 / 224), banker's rounding as Python.</summary>
    public int EvalResizeSize => (int)Math.Round(InputSize * 256.0 / 224.0);

    public IReadOnlyList<ValidationError> Validate(string path = "augment")
    {
        var errors = new List<ValidationError>();
        if (InputSize < 8) errors.Add(new($"{path}.inputSize", $"must be >= 8, was {InputSize}"));
        if (CropScale is not [var s0, var s1] || !(s0 > 0 && s0 <= s1 && s1 <= 1))
            errors.Add(new($"{path}.cropScale", "must be [min, max] with 0 < min <= max <= 1"));
        if (CropRatio is not [var r0, var r1] || !(r0 > 0 && r0 <= r1))
            errors.Add(new($"{path}.cropRatio", "must be [min, max] with 0 < min <= max"));
        if (ResizeBlurFactors.Count == 0 || ResizeBlurFactors.Any(f => !(f >= 1)))
            errors.Add(new($"{path}.resizeBlurFactors", "must be a non-empty list of factors >= 1"));
        if (GaussianSigma is not [var g0, var g1] || !(g0 > 0 && g0 <= g1))
            errors.Add(new($"{path}.gaussianSigma", "must be [min, max] with 0 < min <= max"));
        if (BlurMethod == BlurMethod.Gaussian && GaussianKernelSize / 2 >= InputSize)
            errors.Add(new($"{path}.inputSize", "is too small for the Gaussian kernel's reflect padding"));
        errors.AddRange(View1.Validate($"{path}.view1"));
        errors.AddRange(View2.Validate($"{path}.view2"));
        errors.AddRange(ColorJitter.Validate($"{path}.colorJitter"));
        if (NormalizeMean.Count != 3) errors.Add(new($"{path}.normalizeMean", "must have 3 values (RGB)"));
        if (NormalizeStd.Count != 3 || NormalizeStd.Any(s => !(s > 0)))
            errors.Add(new($"{path}.normalizeStd", "must have 3 positive values (RGB)"));
        return errors;
    }
}
