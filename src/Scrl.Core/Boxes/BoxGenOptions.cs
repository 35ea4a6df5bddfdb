using Scrl.Core.Configuration;

namespace Scrl.Core.Boxes;

/// <summary>
/// Settings of SCRL's spatially consistent box sampler (<c>network.scrl.*</c> in config/scrl_200ep.yaml).
/// Sizes are pixels of the square network input.
/// </summary>
public sealed record BoxGenOptions
{
    /// <summary>Side S of the square view the network sees; boxes are clipped to [0, S].</summary>
    public int InputSize { get; init; } = 224;

    /// <summary>K: box pairs per image whose views overlap enough; other images get none.</summary>
    public int BoxesPerImage { get; init; } = 10;

    /// <summary>Smallest box side, in pixels of the coarser view (one C5 cell at stride 32).</summary>
    public int MinSize { get; init; } = 32;

    /// <summary>A view-1 box is redrawn while its IoU with an earlier box of the same image is at least this.</summary>
    public double IouThreshold { get; init; } = 0.5;

    /// <summary>Draws per box before the last candidate is kept regardless of IoU.</summary>
    public int MaxAttempts { get; init; } = 50;

    /// <summary>Sample boxes inside a random cell of a random grid (the paper's default) rather than anywhere.</summary>
    public bool GridBased { get; init; } = true;

    /// <summary>Jitter the view-2 box of each pair (off in the paper's runs).</summary>
    public bool Jitter { get; init; }

    /// <summary>Each jittered edge or size moves by a factor in [1 - r, 1 + r).</summary>
    public double JitterRatio { get; init; } = 0.1;

    public IReadOnlyList<ValidationError> Validate(string path = "boxGen")
    {
        var errors = new List<ValidationError>();
        if (InputSize <= 0) errors.Add(new($"{path}.inputSize", $"must be > 0, was {InputSize}"));
        if (BoxesPerImage <= 0) errors.Add(new($"{path}.boxesPerImage", $"must be > 0, was {BoxesPerImage}"));
        if (MinSize <= 0 || MinSize >= InputSize)
            errors.Add(new($"{path}.minSize", $"must be in [1, inputSize {InputSize}), was {MinSize}"));
        if (IouThreshold is <= 0 or > 1 || double.IsNaN(IouThreshold))
            errors.Add(new($"{path}.iouThreshold", $"must be in (0, 1], was {IouThreshold}"));
        if (MaxAttempts <= 0) errors.Add(new($"{path}.maxAttempts", $"must be > 0, was {MaxAttempts}"));
        if (JitterRatio is < 0 or >= 1 || double.IsNaN(JitterRatio))
            errors.Add(new($"{path}.jitterRatio", $"must be in [0, 1), was {JitterRatio}"));
        return errors;
    }
}
