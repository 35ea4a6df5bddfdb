using Scrl.Core.Optim;

namespace Scrl.Core.Configuration;

/// <summary>Learning-rate schedule, EMA momentum and LARS (scrl-reference.md §3-4).</summary>
public sealed record OptimOptions
{
    /// <summary>Per 256 images; the run uses base × batch / 256.</summary>
    public double BaseLearningRate { get; init; } = 0.45;
    /// <summary>Linear warmup, then cosine to 0; stepped every iteration.</summary>
    public int WarmupEpochs { get; init; } = 10;
    /// <summary>EMA base momentum τ; it rises to 1 along a cosine.</summary>
    public double BaseEmaMomentum { get; init; } = 0.97;
    public LarsOptions Lars { get; init; } = new();

    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        if (!(BaseLearningRate > 0)) errors.Add(new($"{path}.baseLearningRate", $"must be > 0, was {BaseLearningRate}"));
        if (WarmupEpochs < 0) errors.Add(new($"{path}.warmupEpochs", $"must be >= 0, was {WarmupEpochs}"));
        if (BaseEmaMomentum is < 0 or >= 1) errors.Add(new($"{path}.baseEmaMomentum", $"must be in [0, 1), was {BaseEmaMomentum}"));
        errors.AddRange(Lars.Validate($"{path}.lars"));
        return errors;
    }
}
