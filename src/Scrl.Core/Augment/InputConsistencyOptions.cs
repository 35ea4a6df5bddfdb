using Scrl.Core.Configuration;

namespace Scrl.Core.Augment;

/// <summary>
/// The input-level consistency of the paper's appendix J: both views show the same region, each squeezed to its own
/// random aspect ratio and mean-padded back to the square input.
/// </summary>
public sealed record InputConsistencyOptions
{
    /// <summary>Cut both views from the whole image instead of from one random resized crop
    /// (<see cref="AugmentOptions.CropScale"/>, <see cref="AugmentOptions.CropRatio"/>) that they share.</summary>
    public bool WholeImage { get; init; }

    /// <summary>Each view's aspect ratio width/height, [min, max], drawn log-uniformly as the crop's aspect is.</summary>
    public IReadOnlyList<double> AspectRatio { get; init; } = [3.0 / 4.0, 4.0 / 3.0];

    public IReadOnlyList<ValidationError> Validate(string path = "inputConsistency")
    {
        var errors = new List<ValidationError>();
        if (AspectRatio is not [var a0, var a1] || !(a0 > 0 && a0 <= a1) || double.IsInfinity(a1))
            errors.Add(new($"{path}.aspectRatio", "must be [min, max] with 0 < min <= max"));
        return errors;
    }
}
