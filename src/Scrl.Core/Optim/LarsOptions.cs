using Scrl.Core.Configuration;

namespace Scrl.Core.Optim;

/// <summary>LARS hyper-parameters; defaults are the SCRL 200-epoch recipe and torchlars' constants.</summary>
public sealed record LarsOptions
{
    public double Momentum { get; init; } = 0.9;

    /// <summary>Applied to adapted (non-excluded) tensors only.</summary>
    public double WeightDecay { get; init; } = 1e-6;

    /// <summary>torchlars <c>trust_coef</c>, BYOL <c>eta</c>.</summary>
    public double TrustCoefficient { get; init; } = 1e-3;

    /// <summary>torchlars <c>eps</c> in the trust-ratio denominator; unused by <see cref="LarsMode.Byol"/>.</summary>
    public double Epsilon { get; init; } = 1e-8;

    public LarsMode Mode { get; init; } = LarsMode.ScrlOfficial;

    public IReadOnlyList<ValidationError> Validate(string path = "lars")
    {
        var errors = new List<ValidationError>();
        if (Momentum is < 0 or >= 1) errors.Add(new($"{path}.momentum", $"must be in [0, 1), was {Momentum}"));
        if (WeightDecay < 0) errors.Add(new($"{path}.weightDecay", $"must be >= 0, was {WeightDecay}"));
        if (!(TrustCoefficient > 0)) errors.Add(new($"{path}.trustCoefficient", $"must be > 0, was {TrustCoefficient}"));
        if (Epsilon < 0) errors.Add(new($"{path}.epsilon", $"must be >= 0, was {Epsilon}"));
        if (!Enum.IsDefined(Mode)) errors.Add(new($"{path}.mode", $"unknown mode {Mode}"));
        return errors;
    }
}
