using Scrl.Core.Configuration;

namespace Scrl.Core.Models;

/// <summary>How box features are pooled from C5 before the projector (official <c>network.scrl.*</c> keys).</summary>
public sealed record RoiPoolOptions
{
    /// <summary>RoIAlign output height and width (<c>pool_size</c>); the projector input is C * size * size.</summary>
    public int OutputSize { get; init; } = 1;

    /// <summary>Feature cells per input pixel; 1/32 is C5's stride.</summary>
    public double SpatialScale { get; init; } = 1.0 / 32;

    /// <summary>Bilinear samples per bin side; 0 or less is adaptive (ceil of the bin size), as in torchvision.</summary>
    public int SamplingRatio { get; init; } = -1;

    /// <summary>Detectron2's half-pixel shift; the official SCRL runs use the legacy (false) behaviour.</summary>
    public bool Aligned { get; init; }

    public IReadOnlyList<ValidationError> Validate(string path = "roiPool")
    {
        var errors = new List<ValidationError>();
        if (OutputSize <= 0) errors.Add(new($"{path}.outputSize", $"must be > 0, was {OutputSize}"));
        if (!(SpatialScale > 0)) errors.Add(new($"{path}.spatialScale", $"must be > 0, was {SpatialScale}"));
        return errors;
    }
}
