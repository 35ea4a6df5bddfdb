using Scrl.Core.Configuration;

namespace Scrl.Core.Augment;

/// <summary>
/// torchvision ColorJitter arguments: brightness, contrast and saturation factors are drawn from
/// U[max(0, 1 - s), 1 + s], the hue shift from U[-h, h].
/// </summary>
public sealed record ColorJitterStrengths
{
    public double Brightness { get; init; } = 0.4;
    public double Contrast { get; init; } = 0.4;
    public double Saturation { get; init; } = 0.2;
    public double Hue { get; init; } = 0.1;

    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        if (!(Brightness >= 0)) errors.Add(new($"{path}.brightness", $"must be >= 0, was {Brightness}"));
        if (!(Contrast >= 0)) errors.Add(new($"{path}.contrast", $"must be >= 0, was {Contrast}"));
        if (!(Saturation >= 0)) errors.Add(new($"{path}.saturation", $"must be >= 0, was {Saturation}"));
        if (!(Hue is >= 0 and <= 0.5)) errors.Add(new($"{path}.hue", $"must be in [0, 0.5], was {Hue}"));
        return errors;
    }
}
