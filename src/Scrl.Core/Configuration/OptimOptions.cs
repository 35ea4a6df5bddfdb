using System.Text.Json.Serialization;

namespace Scrl.Core.Configuration;

/// <summary>Which parameters LARS leaves alone (no weight decay, no trust-ratio scaling).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LarsExclusion>))]
public enum LarsExclusion
{
    /// <summary>The official SCRL code: names containing 'bn' or 'bias' in its nn.Sequential naming, lr applied twice.</summary>
    ScrlOfficial,
    /// <summary>deepmind BYOL: every 1-D parameter, plain SGD step.</summary>
    Byol,
}

/// <summary>LARS, LR schedule and EMA momentum (scrl-reference.md §3-4).</summary>
public sealed record OptimOptions
{
    /// <summary>Per 256 images; the run uses base × batch / 256.</summary>
    public double BaseLearningRate { get; init; } = 0.45;
    public double Momentum { get; init; } = 0.9;
    public double WeightDecay { get; init; } = 1e-6;
    public double TrustCoefficient { get; init; } = 1e-3;
    public double Eps { get; init; } = 1e-8;
    public LarsExclusion Exclusion { get; init; } = LarsExclusion.ScrlOfficial;
    public double WarmupEpochs { get; init; } = 10;
    /// <summary>EMA base momentum τ; it rises to 1 along a cosine.</summary>
    public double BaseEmaMomentum { get; init; } = 0.97;

    public IReadOnlyList<ValidationError> Validate(string path)
    {
        var errors = new List<ValidationError>();
        if (BaseLearningRate <= 0) errors.Add(new($"{path}.baseLearningRate", $"must be > 0, was {BaseLearningRate}"));
        if (Momentum is < 0 or >= 1) errors.Add(new($"{path}.momentum", $"must be in [0, 1), was {Momentum}"));
        if (WeightDecay < 0) errors.Add(new($"{path}.weightDecay", $"must be >= 0, was {WeightDecay}"));
        if (TrustCoefficient <= 0) errors.Add(new($"{path}.trustCoefficient", $"must be > 0, was {TrustCoefficient}"));
        if (Eps < 0) errors.Add(new($"{path}.eps", $"must be >= 0, was {Eps}"));
        if (WarmupEpochs < 0) errors.Add(new($"{path}.warmupEpochs", $"must be >= 0, was {WarmupEpochs}"));
        if (BaseEmaMomentum is < 0 or >= 1) errors.Add(new($"{path}.baseEmaMomentum", $"must be in [0, 1), was {BaseEmaMomentum}"));
        return errors;
    }
}
