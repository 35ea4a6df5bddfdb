using Scrl.Core.Configuration;

namespace Scrl.Core.Data.Synthetic;

/// <summary>Size and content of a generated shapes dataset. The same options give byte-identical files.</summary>
public sealed record SyntheticDatasetOptions
{
    public long Seed { get; init; }
    public int TrainImages { get; init; } = 160;
    public int ValImages { get; init; } = 40;
    /// <summary>Each side is drawn uniformly from [MinSide, MaxSide], so aspect ratios vary up to MaxSide/MinSide.</summary>
    public int MinSide { get; init; } = 192;
    public int MaxSide { get; init; } = 320;
    public int MinShapesPerImage { get; init; } = 1;
    public int MaxShapesPerImage { get; init; } = 6;
    public int JpegQuality { get; init; } = 90;

    public IReadOnlyList<ValidationError> Validate(string path = "synthetic")
    {
        var errors = new List<ValidationError>();
        if (TrainImages < 0) errors.Add(new($"{path}.trainImages", $"must be >= 0, was {TrainImages}"));
        if (ValImages < 0) errors.Add(new($"{path}.valImages", $"must be >= 0, was {ValImages}"));
        if (TrainImages + ValImages == 0) errors.Add(new($"{path}.trainImages", "train and val cannot both be empty"));
        // Below 32 px the smallest shapes shrink to a few pixels and their polygons degenerate.
        if (MinSide < 32) errors.Add(new($"{path}.minSide", $"must be >= 32, was {MinSide}"));
        if (MaxSide < MinSide) errors.Add(new($"{path}.maxSide", $"must be >= minSide ({MinSide}), was {MaxSide}"));
        if (MaxSide > 4096) errors.Add(new($"{path}.maxSide", $"must be <= 4096, was {MaxSide}"));
        if (MinShapesPerImage < 1) errors.Add(new($"{path}.minShapesPerImage", $"must be >= 1, was {MinShapesPerImage}"));
        if (MaxShapesPerImage < MinShapesPerImage || MaxShapesPerImage > 20)
            errors.Add(new($"{path}.maxShapesPerImage", $"must be in [{MinShapesPerImage}, 20], was {MaxShapesPerImage}"));
        if (JpegQuality is < 1 or > 100) errors.Add(new($"{path}.jpegQuality", $"must be in [1, 100], was {JpegQuality}"));
        return errors;
    }
}
