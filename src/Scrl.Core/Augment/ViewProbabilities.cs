using Scrl.Core.Configuration;

namespace Scrl.Core.Augment;

/// <summary>How likely each random op is for one view (Table A1). Defaults are view 1's.</summary>
public sealed record ViewProbabilities
{
    public double HorizontalFlip { get; init; } = 0.5;
    public double ColorJitter { get; init; } = 0.8;
    public double Grayscale { get; init; } = 0.2;
    public double Blur { get; init; } = 1.0;
    public double Solarize { get; init; } = 0.0;

    public static ViewProbabilities View1 { get; } = new();
    public static ViewProbabilities View2 { get; } = new() { Blur = 0.1, Solarize = 0.2 };

    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        Check(errors, $"{path}.horizontalFlip", HorizontalFlip);
        Check(errors, $"{path}.colorJitter", ColorJitter);
        Check(errors, $"{path}.grayscale", Grayscale);
        Check(errors, $"{path}.blur", Blur);
        Check(errors, $"{path}.solarize", Solarize);
        return errors;
    }

    private static void Check(List<ValidationError> errors, string path, double p)
    {
        if (!(p is >= 0 and <= 1)) errors.Add(new(path, $"must be a probability in [0, 1], was {p}"));
    }
}
